package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** By hand: retry-failed (by id, kind or all), cancel (pending jobs only), prune (finished jobs past a cutoff, with their errors). Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class AdministrationConformance extends JobStoreConformance {

    protected AdministrationConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

    @Test
    void retryFailedByAllKindOrIdResetsAttempts() {
        long a1 = deadLetter("a");
        long a2 = deadLetter("a");
        long b1 = deadLetter("b");
        assertThat(store.retryFailed(RetrySelection.ids(List.of(a2)), now())).isEqualTo(1);
        assertThat(job(a2).state()).isEqualTo(JobState.PENDING);
        assertThat(job(a2).attempt()).isZero();
        assertThat(job(a2).finishedAt()).isNull();
        assertThat(store.retryFailed(RetrySelection.kind("b"), now())).isEqualTo(1);
        assertThat(job(b1).state()).isEqualTo(JobState.PENDING);
        assertThat(job(a1).state()).isEqualTo(JobState.FAILED);
        assertThat(store.retryFailed(RetrySelection.all(), now())).isEqualTo(1);
        assertThat(job(a1).state()).isEqualTo(JobState.PENDING);
        assertThat(job(a1).errors()).as("the history stays").hasSize(1);
    }

    @Test
    void cancelStopsOnlyPendingJobs() {
        long pending = enqueue(NewJob.of("k", "{}"));
        long running = enqueue(NewJob.of("k", "{}").withPriority(-1));
        claim(A, 1);
        assertThat(store.cancel(List.of(pending, running, 999_999L), now())).containsExactly(pending);
        assertThat(job(pending).state()).isEqualTo(JobState.CANCELLED);
        assertThat(job(pending).finishedAt()).isEqualTo(now());
        assertThat(job(running).state()).isEqualTo(JobState.PROCESSING);
        assertThat(claim(B, 10)).isEmpty();
    }

    @Test
    void pruneDeletesFinishedJobsOlderThanTheCutoffWithTheirErrors() {
        long oldDone = enqueue(NewJob.of("k", "{}"));
        store.complete(List.of(claim(A, 1).get(0).lease()), now());
        long oldFailed = deadLetter("k");
        clock.advance(Duration.ofDays(2));
        long newDone = enqueue(NewJob.of("k", "{}"));
        store.complete(List.of(claim(A, 1).get(0).lease()), now());
        long pending = enqueue(NewJob.of("k", "{}").withRunAt(now().plusSeconds(3600)));

        assertThat(store.prune(now().minus(Duration.ofDays(1)))).isEqualTo(2);
        assertThat(store.find(oldDone)).isEmpty();
        assertThat(store.find(oldFailed)).isEmpty();
        assertThat(store.find(newDone)).isPresent();
        assertThat(store.find(pending)).isPresent();
        assertThat(queryLong("SELECT count(*) FROM soma_meta.job_errors")).isZero();
    }
}
