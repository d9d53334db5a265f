package dev.soma.server.internal.handler;

import dev.soma.core.runstore.NodeRecord;
import dev.soma.core.runstore.RunRecord;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code GET /runs?limit=} (newest first, default 20, at most 500) and {@code GET /runs/{id}} (with its nodes). */
public final class RunsHandler {

    private final ServerContext context;

    public RunsHandler(ServerContext context) {
        this.context = context;
    }

    public Handler list() {
        return request -> {
            int limit = request.intParam("limit", 20, 1, 500);
            List<RunSummary> runs = context.runs(store -> store.runs(limit)).stream().map(RunsHandler::summary).toList();
            return Response.ok(new RunList(runs));
        };
    }

    public Handler one() {
        return request -> {
            String id = request.segment(1);
            Optional<RunDetail> detail = context.runs(store -> store.run(id)
                    .map(run -> new RunDetail(summary(run), store.nodes(id))));
            return Response.ok(detail.orElseThrow(() -> new HttpFailure(404, "no run with id '"
                    + ServerContext.abbreviate(id) + "'; GET /runs lists recent runs")));
        };
    }

    static RunSummary summary(RunRecord run) {
        Long millis = run.finishedAt() == null ? null : Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        return new RunSummary(run.runId(), run.command(), run.status().label(), run.startedAt(), run.finishedAt(),
                millis, run.nodes(), run.somaVersion());
    }

    /** One run. */
    public record RunSummary(String runId, String command, String status, Instant startedAt, Instant finishedAt,
                             Long durationMs, int nodes, String somaVersion) {
    }

    /** {@code /runs}. */
    public record RunList(List<RunSummary> runs) {
    }

    /** {@code /runs/{id}}. */
    public record RunDetail(RunSummary run, List<NodeRecord> nodes) {
    }
}
