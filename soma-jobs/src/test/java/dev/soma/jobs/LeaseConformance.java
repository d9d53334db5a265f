package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases: heartbeats extend them, an expired one is rescued (its stale worker fenced out, dead-lettered on the last attempt), a release gives the job back without spending an attempt. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class LeaseConformance extends JobStoreConformance {

    protected LeaseConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

    @Test
    void anExpiredLeaseIsRescuedAndTheStaleWorkerIsFencedOut() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job first = claim(A, 1).get(0);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(store.rescueExpired(now())).as("not yet expired").isEmpty();
        assertThat(store.heartbeat(List.of(first.lease()), now(), LEASE)).isEqualTo(1);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(store.rescueExpired(now())).as("the heartbeat extended it").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.rescueExpired(now())).containsExactly(id);

        Job rescued = job(id);
        assertThat(rescued.state()).isEqualTo(JobState.PENDING);
        assertThat(rescued.errors()).extracting(JobError::message, JobError::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobError.LEASE_EXPIRED, 1));
        assertThat(store.stats(now()).rescued()).isEqualTo(1);

        Job second = claim(B, 1).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        // the first worker comes back: none of its writes land
        assertThat(store.complete(List.of(first.lease()), now())).isEmpty();
        assertThat(store.fail(first.lease(), new JobError(1, "late", null, now()), now())).isEmpty();
        assertThat(store.heartbeat(List.of(first.lease()), now(), LEASE)).isZero();
        assertThat(store.release(List.of(first.lease()), now())).isZero();
        assertThat(store.complete(List.of(second.lease()), now())).containsExactly(id);
        assertThat(job(id).errors()).hasSize(1);
    }

    @Test
    void aRescueOnTheLastAttemptDeadLetters() {
        long id = enqueue(NewJob.of("k", "{}").withMaxAttempts(1));
        claim(A, 1);
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.rescueExpired(now())).containsExactly(id);
        assertThat(job(id).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aReleaseGivesTheJobBackWithoutSpendingAnAttempt() {
        long id = enqueue(NewJob.of("k", "{}"));
        Job claimed = claim(A, 1).get(0);
        assertThat(store.release(List.of(claimed.lease()), now())).isEqualTo(1);
        Job released = job(id);
        assertThat(released.state()).isEqualTo(JobState.PENDING);
        assertThat(released.attempt()).isZero();
        assertThat(claim(B, 1).get(0).attempt()).isEqualTo(1);
    }
}
