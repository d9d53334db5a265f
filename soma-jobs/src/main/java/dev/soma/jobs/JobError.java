package dev.soma.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * One error a job hit. Every error is kept, not only the last.
 *
 * @param attempt        the attempt that failed (1 for the first run)
 * @param message        what went wrong ({@value #LEASE_EXPIRED} when the worker died or hung)
 * @param exceptionClass the handler's exception class, or {@code null} when the queue itself decided
 * @param at             when
 */
public record JobError(int attempt, String message, String exceptionClass, Instant at) {

    /** The message recorded when a job's lease expired and it was rescued. */
    public static final String LEASE_EXPIRED = "lease expired";

    public JobError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }

    /** The error of {@code failure} on {@code attempt}: its message (or class name) and class. */
    public static JobError of(int attempt, Throwable failure, Instant at) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new JobError(attempt, message, failure.getClass().getName(), at);
    }
}
