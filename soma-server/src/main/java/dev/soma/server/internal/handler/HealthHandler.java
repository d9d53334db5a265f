package dev.soma.server.internal.handler;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.soma.core.runstore.RunRecord;
import dev.soma.ingest.LoadResult;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /health}: whether the database answers, with the last run and the last load. 503 when the
 * database does not answer; a failed last run is reported but is not "unhealthy" (the server works).
 * The check is reused for 250 ms, so a load balancer polling hard costs the database nothing.
 */
public final class HealthHandler implements Handler {

    /** A probe polled thousands of times a second answers from a check at most this old. */
    static final long FRESH_NANOS = 250_000_000L;

    private final ServerContext context;
    private volatile Checked last;

    public HealthHandler(ServerContext context) {
        this.context = context;
    }

    private record Checked(long atNanos, Response response) {
    }

    @Override
    public Response handle(Request request) {
        Checked cached = last;
        long now = System.nanoTime();
        if (cached != null && now - cached.atNanos() < FRESH_NANOS) {
            return cached.response();
        }
        Response response = check();
        last = new Checked(now, response);
        return response;
    }

    private Response check() {
        Instant now = context.clock().instant();
        RunRecord lastRun;
        try {
            lastRun = context.runs(store -> store.runs(1)).stream().findFirst().orElse(null);
        } catch (RuntimeException e) {
            return Response.json(503, new Health("unhealthy", now, new Database(false, context.warehouse().describe(),
                    e.getMessage()), null, null));
        }
        LoadResult lastLoad = null;
        if (context.ingest() != null) {
            try {
                List<LoadResult> loads = context.ingest().loads(null, 1);
                lastLoad = loads.isEmpty() ? null : loads.get(0);
            } catch (RuntimeException e) {
                // The load history is optional information; the database answered.
            }
        }
        return Response.ok(new Health("ok", now, new Database(true, context.warehouse().describe(), null),
                lastRun == null ? null : RunsHandler.summary(lastRun), lastLoad));
    }

    /** The answer of {@code /health}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, Instant checkedAt, Database database, RunsHandler.RunSummary lastRun,
                         LoadResult lastLoad) {
    }

    /** Whether the database answered a query, and if not why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Database(boolean reachable, String location, String error) {
    }
}
