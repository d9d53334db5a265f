package dev.soma.server.internal.handler;

import dev.soma.ingest.LoadResult;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.HttpFailure;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;
import dev.soma.core.error.SomaException;

import java.util.List;

/** {@code GET /loads?source=&limit=}: the ingestion load history, newest first. */
public final class LoadsHandler implements Handler {

    private final ServerContext context;

    public LoadsHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public Response handle(Request request) {
        int limit = request.intParam("limit", 20, 1, 500);
        String source = request.param("source").orElse(null);
        try {
            return Response.ok(new LoadList(context.requireIngest().loads(source, limit)));
        } catch (SomaException e) {
            throw new HttpFailure(404, e.getMessage());
        }
    }

    /** {@code /loads}. */
    public record LoadList(List<LoadResult> loads) {
    }
}
