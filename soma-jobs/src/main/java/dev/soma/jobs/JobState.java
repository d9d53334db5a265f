package dev.soma.jobs;

import java.util.Locale;

/**
 * Where a job is in its life, in the words the tables use ({@code pending}, {@code processing}, …).
 * The allowed moves between states are listed once, in {@link JobTransition}.
 */
public enum JobState {
    /** Waiting to be claimed once {@code run_at} has passed. */
    PENDING,
    /** Claimed by a worker that holds a lease on it. */
    PROCESSING,
    /** The handler succeeded. Final. */
    COMPLETED,
    /** The dead letter: the handler failed {@code max_attempts} times. {@code retry-failed} revives it. */
    FAILED,
    /** Stopped by hand before it ran. Final. */
    CANCELLED;

    /** The name stored in the {@code state} column. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the job is done with (completed, failed or cancelled): what {@code prune} may delete. */
    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Whether some {@link JobTransition} moves a job from this state to {@code next}. */
    public boolean canMoveTo(JobState next) {
        for (JobTransition transition : JobTransition.values()) {
            if (transition.from() == this && transition.targets().contains(next)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The state stored as {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid states
     */
    public static JobState parse(String name) {
        for (JobState state : values()) {
            if (state.dbName().equalsIgnoreCase(name.strip())) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown job state '" + name
                + "'; use one of pending, processing, completed, failed, cancelled");
    }
}
