package dev.soma.jobs;

import java.util.List;

/**
 * Hears what workers do. Called on the worker's dispatcher thread: keep it quick and do not throw (a
 * throwing listener is logged and ignored). Every method has an empty default.
 */
public interface JobListener {

    /** A listener that ignores everything. */
    JobListener NONE = new JobListener() {
    };

    /** A batch was claimed. */
    default void claimed(List<Job> jobs) {
    }

    /** A job completed (its completion was not fenced out). */
    default void completed(long id, String kind) {
    }

    /**
     * A handler failed.
     *
     * @param newState {@code pending} when it will be retried, {@code failed} when dead-lettered,
     *                 {@code null} when the worker had lost the job's lease and the failure was not recorded
     */
    default void failed(long id, String kind, JobError error, JobState newState) {
    }

    /** A worker's write was refused because the job's lease had been taken over (fencing). */
    default void fencedOut(Lease lease) {
    }

    /** Jobs whose leases expired went back to pending (or failed). */
    default void rescued(List<Long> ids) {
    }

    /**
     * Renewing the leases of running jobs failed (the database refused the write); the worker tries again at
     * the next heartbeat, and a job whose lease expires meanwhile is rescued and run again.
     */
    default void heartbeatFailed(String message) {
    }
}
