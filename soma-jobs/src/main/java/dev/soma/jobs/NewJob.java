package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.jobs.internal.JsonSyntax;

import java.time.Instant;
import java.util.Objects;

/**
 * A job to enqueue. Immutable; start with {@link #of(String, String)} and refine with the
 * {@code withX} copies.
 *
 * @param kind        which handler runs it (non-blank)
 * @param payload     the handler's input, a JSON document (checked here: {@link InvalidPayloadException})
 * @param priority    lower runs first; default 0
 * @param runAt       not before this instant; {@code null} means now
 * @param maxAttempts tries before the job is dead-lettered as {@code failed}; default 5, at least 1
 * @param uniqueKey   when set, enqueue is idempotent on it (e.g. {@code isbn:9780…}): a second enqueue
 *                    while a job with this key is pending, processing or completed returns that job
 */
public record NewJob(String kind, String payload, int priority, Instant runAt, int maxAttempts, String uniqueKey) {

    /** Attempts before a job is dead-lettered, unless {@link #withMaxAttempts} says otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public NewJob {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (kind.isBlank()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "a job kind must not be blank");
        }
        String problem = JsonSyntax.problem(payload);
        if (problem != null) {
            throw new InvalidPayloadException(kind, payload, problem);
        }
        if (maxAttempts < 1) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    "max_attempts must be 1 or more, got " + maxAttempts + " (job kind " + kind + ")");
        }
        if (uniqueKey != null && uniqueKey.isBlank()) {
            uniqueKey = null;
        }
    }

    /** A job of {@code kind} with a JSON {@code payload}, priority 0, due now, 5 attempts, no unique key. */
    public static NewJob of(String kind, String payload) {
        return new NewJob(kind, payload, 0, null, DEFAULT_MAX_ATTEMPTS, null);
    }

    public NewJob withPriority(int priority) {
        return new NewJob(kind, payload, priority, runAt, maxAttempts, uniqueKey);
    }

    public NewJob withRunAt(Instant runAt) {
        return new NewJob(kind, payload, priority, runAt, maxAttempts, uniqueKey);
    }

    public NewJob withMaxAttempts(int maxAttempts) {
        return new NewJob(kind, payload, priority, runAt, maxAttempts, uniqueKey);
    }

    public NewJob withUniqueKey(String uniqueKey) {
        return new NewJob(kind, payload, priority, runAt, maxAttempts, uniqueKey);
    }
}
