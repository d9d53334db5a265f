package dev.soma.server.internal.handler;

import dev.soma.core.error.SomaException;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.WindowRecord;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /windows?model=&state=&limit=}: the window ledger of windowed models through
 * {@code Soma.windows(model)}, failed windows first, then out of audit, locked and pending ones, with
 * counts over all of them (before {@code state} and {@code limit}).
 */
public final class WindowsHandler implements Handler {

    private static final Set<String> STATES = Set.of("PENDING", "IN_PROGRESS", "DONE", "FAILED");

    private final ServerContext context;

    public WindowsHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public Response handle(Request request) {
        String model = request.param("model").orElse(null);
        if (model != null) {
            NodeInfo node = context.node(model);
            if (!"windowed".equals(node.materialized())) {
                throw new HttpFailure(404, "model '" + node.name() + "' is not windowed (materialized: "
                        + node.materialized() + "); GET /windows lists the windowed models' windows");
            }
        }
        String state = request.param("state").map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
        if (state != null && !STATES.contains(state)) {
            throw new HttpFailure(400, "state must be one of PENDING, IN_PROGRESS, DONE, FAILED; got '"
                    + ServerContext.abbreviate(request.param("state").orElse("")) + "'");
        }
        int limit = request.intParam("limit", 500, 1, 10_000);
        List<WindowRecord> all;
        try {
            all = context.soma().windows(model);
        } catch (SomaException e) {
            throw new HttpFailure(404, e.getMessage());
        }
        Counts counts = new Counts(all.size(), count(all, "DONE"), count(all, "PENDING"), count(all, "FAILED"),
                count(all, "IN_PROGRESS"), all.stream().filter(w -> "FAILED".equals(w.auditStatus())).count());
        List<WindowRecord> chosen = all.stream().filter(w -> state == null || state.equals(w.state())).toList();
        return Response.ok(new WindowList(model, counts, chosen.size() > limit, chosen.stream().limit(limit).toList()));
    }

    private static long count(List<WindowRecord> windows, String state) {
        return windows.stream().filter(w -> state.equals(w.state())).count();
    }

    /** How many windows are in each state, and how many are out of audit. */
    public record Counts(long total, long done, long pending, long failed, long locked, long outOfAudit) {
    }

    /** {@code /windows}: the model asked for ({@code null}: every windowed model), counts, and the windows. */
    public record WindowList(String model, Counts counts, boolean truncated, List<WindowRecord> windows) {
    }
}
