package dev.soma.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A job as stored. Values, safe to keep; {@link #errors()} is filled by {@link JobQueue#find} and empty
 * elsewhere (use {@link #errorCount()}).
 *
 * @param attempt        how many times it has been claimed since it was enqueued or retried (0 before the first run)
 * @param owner          the worker holding its lease while {@code processing}, else {@code null}
 * @param leaseExpiresAt when that lease runs out unless heartbeated, else {@code null}
 */
public record Job(long id, String kind, String payload, int priority, JobState state, Instant runAt,
                  int attempt, int maxAttempts, String uniqueKey, String owner, Instant leaseExpiresAt,
                  Instant createdAt, Instant startedAt, Instant finishedAt, int errorCount, List<JobError> errors) {

    public Job {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The fence for this claim: (id, attempt, owner). */
    public Lease lease() {
        return new Lease(id, attempt, owner);
    }

    /** The same job with its error history. */
    public Job withErrors(List<JobError> history) {
        return new Job(id, kind, payload, priority, state, runAt, attempt, maxAttempts, uniqueKey, owner,
                leaseExpiresAt, createdAt, startedAt, finishedAt, errorCount, history);
    }
}
