package dev.soma.jobs;

/**
 * What a handler sees of the job it runs.
 *
 * <p>Delivery is at-least-once: the same job can run again after a crash or a lost lease, so a
 * handler's effect must be idempotent (keyed on {@link #id()} or the payload's natural key), or be
 * written through a {@link TransactionalJobHandler}.
 */
public interface JobContext {

    long id();

    String kind();

    /** The JSON payload, as enqueued. */
    String payload();

    /** This run's attempt number, from 1. */
    int attempt();

    int maxAttempts();

    /** The unique key, or {@code null}. */
    String uniqueKey();

    /**
     * Whether the worker has given this job up (the job timed out, or the worker is shutting down and the
     * grace period is over). A long handler should check it, or respond to interruption, and stop.
     */
    boolean abandoned();
}
