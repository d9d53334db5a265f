package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Completion and failure: fenced on (id, attempt, owner); a failure retries at the time given (the backoff) until max attempts, then dead-letters with every error. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class CompletionConformance extends JobStoreConformance {

    protected CompletionConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

    @Test
    void completingIsFencedOnIdAttemptAndOwner() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job claimed = claim(A, 1).get(0);
        assertThat(store.complete(List.of(new Lease(id, 1, B)), now())).isEmpty();
        assertThat(store.complete(List.of(new Lease(id, 2, A)), now())).isEmpty();
        assertThat(job(id).state()).isEqualTo(JobState.PROCESSING);

        clock.advance(Duration.ofSeconds(1));
        assertThat(store.complete(List.of(claimed.lease()), now())).containsExactly(id);
        Job done = job(id);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.finishedAt()).isEqualTo(now());
        assertThat(store.complete(List.of(claimed.lease()), now())).as("completing twice").isEmpty();
    }

    @Test
    void aFailureRetriesAtTheGivenTimeUntilMaxAttemptsThenDeadLetters() {
        long id = enqueue(NewJob.of("k", "{}").withMaxAttempts(3));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Job claimed = claim(A, 1).get(0);
            assertThat(claimed.attempt()).isEqualTo(attempt);
            Instant retryAt = now().plusSeconds(attempt * 10L);
            Optional<JobState> state = store.fail(claimed.lease(),
                    new JobError(attempt, "boom " + attempt, IllegalStateException.class.getName(), now()), retryAt);
            if (attempt < 3) {
                assertThat(state).contains(JobState.PENDING);
                assertThat(job(id).runAt()).isEqualTo(retryAt);
                assertThat(claim(A, 1)).as("not due before its backoff").isEmpty();
                clock.advance(Duration.ofSeconds(attempt * 10L));
            } else {
                assertThat(state).contains(JobState.FAILED);
            }
        }
        Job failed = job(id);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.finishedAt()).isEqualTo(now());
        assertThat(failed.errorCount()).isEqualTo(3);
        assertThat(failed.errors()).extracting(JobError::attempt, JobError::message, JobError::exceptionClass)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "boom 1", IllegalStateException.class.getName()),
                        org.assertj.core.groups.Tuple.tuple(2, "boom 2", IllegalStateException.class.getName()),
                        org.assertj.core.groups.Tuple.tuple(3, "boom 3", IllegalStateException.class.getName()));
    }
}
