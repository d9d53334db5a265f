package dev.soma.jobs;

import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The state machine walked: every operation on a job in every state moves it exactly when the transition table allows. Part of the conformance suite: every store runs it (see {@link JobStoreConformance}). */
abstract class StateMachineConformance extends JobStoreConformance {

    protected StateMachineConformance(java.util.function.Supplier<StoreUnderTest> stores) {
        super(stores);
    }

    /**
     * Every store operation tried on a job in every state: it moves the job exactly when the transition table
     * has a move from that state, and leaves it alone (zero rows) otherwise.
     */
    @Test
    void everyOperationMovesAJobOnlyFromTheStateTheTableAllows() {
        Map<JobTransition, Function<Job, Boolean>> operations = Map.of(
                JobTransition.CLAIM, job -> store.claim("walker", 100, Set.of(job.kind()), now(), LEASE).stream()
                        .anyMatch(j -> j.id() == job.id()),
                JobTransition.COMPLETE, job -> !store.complete(List.of(new Lease(job.id(), job.attempt(), A)), now()).isEmpty(),
                JobTransition.FAIL, job -> store.fail(new Lease(job.id(), job.attempt(), A),
                        new JobError(job.attempt(), "x", null, now()), now()).isPresent(),
                JobTransition.RESCUE, job -> {
                    clock.advance(LEASE.plusSeconds(1));
                    return store.rescueExpired(now()).contains(job.id());
                },
                JobTransition.RELEASE, job -> store.release(List.of(new Lease(job.id(), job.attempt(), A)), now()) == 1,
                JobTransition.RETRY_FAILED, job -> store.retryFailed(RetrySelection.ids(List.of(job.id())), now()) == 1,
                JobTransition.CANCEL, job -> store.cancel(List.of(job.id()), now()).contains(job.id()));
        assertThat(operations.keySet()).containsExactlyInAnyOrder(JobTransition.values());

        int kind = 0;
        for (JobState from : JobState.values()) {
            for (JobTransition transition : JobTransition.values()) {
                String k = "walk" + kind++;
                Job job = jobIn(from, k);
                assertThat(job.state()).isEqualTo(from);
                boolean moved = operations.get(transition).apply(job);
                JobState after = job(job.id()).state();
                String what = transition + " on a " + from.dbName() + " job";
                if (transition.from() == from) {
                    assertThat(moved).as(what).isTrue();
                    assertThat(transition.targets()).as(what).contains(after);
                    assertThat(from.canMoveTo(after)).as(what).isTrue();
                } else {
                    assertThat(moved).as(what).isFalse();
                    assertThat(after).as(what).isEqualTo(from);
                }
            }
        }
    }

    /** A job of a fresh kind, brought to {@code state} by the store's own moves, owned by {@link #A} when running. */
    private Job jobIn(JobState state, String kind) {
        long id = enqueue(NewJob.of(kind, "{}").withMaxAttempts(1));
        if (state == JobState.PENDING) {
            return job(id);
        }
        if (state == JobState.CANCELLED) {
            store.cancel(List.of(id), now());
            return job(id);
        }
        Job claimed = store.claim(A, 1, Set.of(kind), now(), LEASE).get(0);
        switch (state) {
            case COMPLETED -> store.complete(List.of(claimed.lease()), now());
            case FAILED -> store.fail(claimed.lease(), new JobError(1, "x", null, now()), now());
            default -> { }
        }
        return job(id);
    }

    @Test
    void theTransitionTableAndCanMoveToAgreeForEveryPair() {
        for (JobState from : JobState.values()) {
            for (JobState to : JobState.values()) {
                boolean listed = false;
                for (JobTransition transition : JobTransition.values()) {
                    listed |= transition.from() == from && transition.targets().contains(to);
                }
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(listed);
            }
        }
        assertThat(JobState.COMPLETED.canMoveTo(JobState.PENDING)).isFalse();
        assertThat(JobState.CANCELLED.canMoveTo(JobState.PENDING)).isFalse();
        assertThat(JobState.PROCESSING.canMoveTo(JobState.CANCELLED)).isFalse();
        assertThat(JobState.FAILED.canMoveTo(JobState.PENDING)).isTrue();
    }
}
