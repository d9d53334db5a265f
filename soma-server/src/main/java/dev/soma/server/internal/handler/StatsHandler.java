package dev.soma.server.internal.handler;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.soma.core.runstore.RunRecord;
import dev.soma.core.runstore.RunStatus;
import dev.soma.ingest.LoadResult;
import dev.soma.jobs.JobState;
import dev.soma.jobs.QueueStats;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /stats}: runs, loads and jobs — counts, total duration, last success, last failure and why.
 * Over the last {@value #WINDOW} runs and loads.
 */
public final class StatsHandler implements Handler {

    static final int WINDOW = 10_000;

    private final ServerContext context;

    public StatsHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public Response handle(Request request) {
        RunStats runs = context.runs(store -> {
            List<RunRecord> all = store.runs(WINDOW);
            long durationMs = all.stream().filter(run -> run.finishedAt() != null)
                    .mapToLong(run -> Duration.between(run.startedAt(), run.finishedAt()).toMillis()).sum();
            long failed = all.stream().filter(run -> run.status() == RunStatus.ERROR).count();
            long nodes = all.stream().mapToLong(RunRecord::nodes).sum();
            RunRecord lastSuccess = all.stream().filter(run -> run.status() == RunStatus.SUCCESS).findFirst().orElse(null);
            RunRecord lastFailure = all.stream().filter(run -> run.status() == RunStatus.ERROR).findFirst().orElse(null);
            String reason = lastFailure == null ? null : store.nodes(lastFailure.runId()).stream()
                    .filter(node -> node.message() != null && !"success".equals(node.status())
                            && !"pass".equals(node.status()))
                    .map(node -> node.name() + ": " + node.message()).findFirst().orElse(null);
            return new RunStats(all.size(), failed, nodes, durationMs,
                    lastSuccess == null ? null : lastSuccess.finishedAt(),
                    lastFailure == null ? null : lastFailure.finishedAt(),
                    lastFailure == null ? null : lastFailure.runId(), reason);
        });
        LoadStats loads = null;
        if (context.ingest() != null) {
            List<LoadResult> all = context.ingest().loads(null, WINDOW);
            LoadResult lastSuccess = all.stream().filter(LoadResult::succeeded).findFirst().orElse(null);
            LoadResult lastFailure = all.stream().filter(load -> !load.succeeded()).findFirst().orElse(null);
            loads = new LoadStats(all.size(), all.stream().filter(load -> !load.succeeded()).count(),
                    all.stream().mapToLong(LoadResult::rowsRead).sum(),
                    all.stream().mapToLong(LoadResult::rowsLoaded).sum(),
                    all.stream().mapToLong(LoadResult::rowsRejected).sum(),
                    all.stream().mapToLong(load -> load.duration().toMillis()).sum(),
                    lastSuccess == null ? null : lastSuccess.finished(),
                    lastFailure == null ? null : lastFailure.finished(),
                    lastFailure == null ? null : lastFailure.error());
        }
        JobStats jobs = null;
        if (context.jobs() != null) {
            QueueStats stats = context.jobs().stats();
            Map<String, Long> byState = new TreeMap<>();
            for (JobState state : JobState.values()) {
                byState.put(state.dbName(), stats.count(state));
            }
            jobs = new JobStats(stats.total(), byState, stats.rescued(),
                    stats.oldestDue() == null ? null : stats.oldestDue().toMillis());
        }
        return Response.ok(new Stats(runs, loads, jobs));
    }

    /** {@code /stats}; {@code loads} and {@code jobs} are omitted when the server has no ingestion or queue. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stats(RunStats runs, LoadStats loads, JobStats jobs) {
    }

    /** Runs: {@code nodes} is the number of nodes executed over all of them (records processed). */
    public record RunStats(long count, long failed, long nodes, long totalDurationMs, Instant lastSuccessAt,
                           Instant lastFailureAt, String lastFailureRunId, String lastFailureReason) {
    }

    /** Ingestion loads. */
    public record LoadStats(long count, long failed, long rowsRead, long rowsLoaded, long rowsRejected,
                            long totalDurationMs, Instant lastSuccessAt, Instant lastFailureAt,
                            String lastFailureReason) {
    }

    /** The job queue. */
    public record JobStats(long total, Map<String, Long> byState, long rescued, Long oldestDueMs) {
    }

}
