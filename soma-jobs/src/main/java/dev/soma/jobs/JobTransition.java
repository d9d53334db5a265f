package dev.soma.jobs;

import java.util.Set;

/**
 * Every move a job can make, in one table. The stores' SQL takes its {@code WHERE state = …} from
 * {@link #from()}, so a move from any other state (a lost race, a stale worker) updates zero rows
 * instead of overwriting.
 *
 * <pre>
 *            claim                complete
 *  pending ---------> processing ----------> completed
 *   ^  |  ^  retry / rescue /  |  \  fail at max_attempts,
 *   |  |  +----- release ------+   \ rescue at max_attempts
 *   |  | cancel                     v
 *   |  +------> cancelled         failed
 *   +------------ retry-failed ------+
 * </pre>
 */
public enum JobTransition {
    /** A worker takes a due job and a lease on it; the attempt counter goes up by one. */
    CLAIM(JobState.PENDING, JobState.PROCESSING),
    /** The handler succeeded (fenced on id, attempt and owner). */
    COMPLETE(JobState.PROCESSING, JobState.COMPLETED),
    /** The handler failed: back to pending with {@code run_at} pushed back, or failed at {@code max_attempts}. */
    FAIL(JobState.PROCESSING, JobState.PENDING, JobState.FAILED),
    /** The lease expired (worker died or hung): back to pending, or failed at {@code max_attempts}. */
    RESCUE(JobState.PROCESSING, JobState.PENDING, JobState.FAILED),
    /** Graceful shutdown gives a running job back without spending its attempt. */
    RELEASE(JobState.PROCESSING, JobState.PENDING),
    /** {@code retry-failed}: a dead-lettered job goes back to pending with its attempts reset. */
    RETRY_FAILED(JobState.FAILED, JobState.PENDING),
    /** {@code cancel}: a pending job is stopped before it runs. */
    CANCEL(JobState.PENDING, JobState.CANCELLED);

    private final JobState from;
    private final Set<JobState> targets;

    JobTransition(JobState from, JobState... targets) {
        this.from = from;
        this.targets = Set.of(targets);
    }

    /** The only state this move applies to. */
    public JobState from() {
        return from;
    }

    /** The states it may lead to. */
    public Set<JobState> targets() {
        return targets;
    }
}
