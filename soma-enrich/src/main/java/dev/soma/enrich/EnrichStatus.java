package dev.soma.enrich;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobQuery;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.QueueStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where enrichment stands: the {@value EnrichBookHandler#KIND} jobs by state, the enriched tables' row counts (empty
 * before the tables exist) and the last jobs that failed for good, with their last error.
 *
 * @param jobs   {@value EnrichBookHandler#KIND} jobs by state (states without jobs absent)
 * @param tables the enriched tables' counts, or empty when {@code raw.enriched_books} does not exist yet
 * @param failed failed jobs, newest first as the queue lists them, at most the number asked for
 */
public record EnrichStatus(Map<JobState, Long> jobs, Optional<EnrichTables.Counts> tables, List<FailedBook> failed) {

    public EnrichStatus {
        jobs = Map.copyOf(jobs);
        failed = List.copyOf(failed);
    }

    /** A job that failed for good: its id, unique key (empty if none), attempts and last error (empty if none kept). */
    public record FailedBook(long id, String uniqueKey, int attempts, String lastError) {
    }

    /** Reads the status from {@code queue} and {@code warehouse}, with at most {@code errors} failed jobs. */
    public static EnrichStatus read(JobQueue queue, Warehouse warehouse, int errors) {
        Map<JobState, Long> states = queue.stats().byKindAndState().getOrDefault(EnrichBookHandler.KIND, Map.of());
        List<FailedBook> failed = new ArrayList<>();
        for (Job j : queue.list(JobQuery.all().withKind(EnrichBookHandler.KIND).withState(JobState.FAILED).withLimit(errors)).jobs()) {
            Job full = queue.find(j.id()).orElse(j);
            String error = full.errors().isEmpty() ? "" : full.errors().get(full.errors().size() - 1).message();
            failed.add(new FailedBook(j.id(), j.uniqueKey() == null ? "" : j.uniqueKey(), j.attempt(), error));
        }
        return new EnrichStatus(states, EnrichTables.counts(warehouse), failed);
    }

    /** How many {@value EnrichBookHandler#KIND} jobs are in {@code state}. */
    public long count(JobState state) {
        return jobs.getOrDefault(state, 0L);
    }

    /** The {@value EnrichBookHandler#KIND} jobs pending in {@code stats}: what a worker would work now. */
    public static long pending(QueueStats stats) {
        return stats.byKindAndState().getOrDefault(EnrichBookHandler.KIND, Map.of()).getOrDefault(JobState.PENDING, 0L);
    }
}
