package dev.soma.server.internal.handler;

import dev.soma.core.error.SomaException;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowStatus;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code GET /windows?model=&state=&limit=}: the window ledger of windowed models through
 * {@code Soma.windows(model)}, failed windows first, then out of audit, locked and pending ones, with
 * counts over all of them (before {@code state} and {@code limit}).
 */
public final class WindowsHandler implements Handler {

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
        WindowStatus state = request.param("state").map(WindowsHandler::status).orElse(null);
        int limit = request.intParam("limit", 500, 1, 10_000);
        List<WindowRecord> all;
        try {
            all = context.soma().windows(model);
        } catch (SomaException e) {
            throw new HttpFailure(404, e.getMessage());
        }
        Counts counts = new Counts(all.size(), count(all, WindowStatus.DONE), count(all, WindowStatus.PENDING),
                count(all, WindowStatus.FAILED), count(all, WindowStatus.IN_PROGRESS),
                all.stream().filter(WindowRecord::outOfAudit).count());
        List<WindowRecord> chosen = all.stream().filter(w -> state == null || state == w.state()).toList();
        return Response.ok(new WindowList(model, counts, chosen.size() > limit, chosen.stream().limit(limit).toList()));
    }

    private static WindowStatus status(String given) {
        try {
            return WindowStatus.valueOf(given.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpFailure(400, "state must be one of " + Arrays.stream(WindowStatus.values()).map(Enum::name)
                    .collect(Collectors.joining(", ")) + "; got '" + ServerContext.abbreviate(given) + "'");
        }
    }

    private static long count(List<WindowRecord> windows, WindowStatus state) {
        return windows.stream().filter(w -> w.state() == state).count();
    }

    /** How many windows are in each state, and how many are out of audit. */
    public record Counts(long total, long done, long pending, long failed, long locked, long outOfAudit) {
    }

    /** {@code /windows}: the model asked for ({@code null}: every windowed model), counts, and the windows. */
    public record WindowList(String model, Counts counts, boolean truncated, List<WindowRecord> windows) {
    }
}
