package dev.soma.server.internal.handler;

import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A file from this module's resources, read once: the lineage page, its script and style, and the
 * OpenAPI document. The resource name is fixed at registration, never taken from the request.
 */
public final class StaticHandler implements Handler {

    private final byte[] bytes;
    private final String contentType;

    public StaticHandler(String resource, String contentType) {
        try (InputStream in = StaticHandler.class.getResourceAsStream("/dev/soma/server/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/soma/server/" + resource + " is missing from the jar");
            }
            this.bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.contentType = contentType;
    }

    @Override
    public Response handle(Request request) {
        return Response.bytes(bytes, contentType);
    }
}
