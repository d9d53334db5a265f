package dev.soma.jobs;

import java.time.Duration;
import java.util.Map;

/**
 * Counts over the whole queue.
 *
 * @param byState        jobs per state (every state present, 0 when none)
 * @param byKindAndState jobs per kind, then per state (only states that occur)
 * @param rescued        errors recorded as {@value JobError#LEASE_EXPIRED}: how many times a worker died or hung
 * @param oldestDue      how long the oldest due pending job has waited, {@link Duration#ZERO} when none
 */
public record QueueStats(Map<JobState, Long> byState, Map<String, Map<JobState, Long>> byKindAndState,
                         long rescued, Duration oldestDue) {

    public QueueStats {
        byState = Map.copyOf(byState);
        byKindAndState = Map.copyOf(byKindAndState);
    }

    /** Jobs in {@code state}. */
    public long count(JobState state) {
        return byState.getOrDefault(state, 0L);
    }

    /** All jobs. */
    public long total() {
        return byState.values().stream().mapToLong(Long::longValue).sum();
    }
}
