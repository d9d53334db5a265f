package dev.soma.server.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.soma.core.error.SomaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Every route in one place, and what all of them share: the token check on writes, error answers as
 * JSON {@link ApiError}s, gzip of JSON when the client accepts it, and one request-log line per request
 * (SLF4J logger {@code dev.soma.server.request}).
 */
public final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger("dev.soma.server.request");
    private static final Logger ERRORS = LoggerFactory.getLogger(Router.class);
    private static final int MAX_BODY = 1 << 20;
    private static final int GZIP_ABOVE = 1024;

    private final List<Route> routes = new ArrayList<>();
    private final ObjectMapper json = Json.mapper();
    private final String token;

    /** @param token the bearer token that allows writes, or {@code null}: writes are off */
    public Router(String token) {
        this.token = token == null || token.isBlank() ? null : token;
    }

    /** A read route; {@code pattern} like {@code /runs/{id}}. */
    public Router get(String pattern, Handler handler) {
        routes.add(new Route("GET", split(pattern), handler, false));
        return this;
    }

    /** A write route: answered only with the configured token. */
    public Router post(String pattern, Handler handler) {
        routes.add(new Route("POST", split(pattern), handler, true));
        return this;
    }

    public ObjectMapper json() {
        return json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        int status;
        try {
            Response response;
            try {
                response = dispatch(exchange, method, rawPath);
            } catch (HttpFailure failure) {
                response = Response.json(failure.status(), failure.body());
            } catch (SomaException e) {
                response = Response.json(400, new ApiError(400, "bad_request", e.getMessage(), null));
            } catch (Exception e) {
                ERRORS.warn("{} {} failed", method, rawPath, e);
                response = Response.json(500, new ApiError(500, "internal_error",
                        "the server failed on this request: " + e.getClass().getSimpleName()
                                + "; the server log has the details", null));
            }
            status = response.status();
            send(exchange, response);
        } finally {
            exchange.close();
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {} ms", method, rawPath, status, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Response dispatch(HttpExchange exchange, String method, String rawPath) throws Exception {
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Request request = Request.parse(method, rawPath, rawQuery, null, null);
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            if (!route.matches(request.segments())) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = new byte[0];
            if (route.write()) {
                authorize(authorization);
                body = readBody(exchange.getRequestBody());
            }
            return route.handler().handle(new Request(method, rawPath, request.segments(), request.query(), body,
                    authorization));
        }
        if (!allowed.isEmpty()) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
            throw new HttpFailure(405, method + " is not allowed on " + rawPath + "; use " + String.join(" or ", allowed));
        }
        throw new HttpFailure(404, "no endpoint at " + Request.abbreviate(rawPath) + "; GET /openapi.json lists them");
    }

    private void authorize(String authorization) {
        if (token == null) {
            throw new HttpFailure(403, "writes are off on this server; start it with --token (or SOMA_SERVER_TOKEN) "
                    + "and send 'Authorization: Bearer <token>'");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new HttpFailure(401, "this endpoint writes; send 'Authorization: Bearer <token>'");
        }
        byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpFailure(403, "wrong token");
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new HttpFailure(413, "the request body is over " + MAX_BODY + " bytes");
        }
        return body;
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.bytes() != null ? response.bytes() : json.writeValueAsBytes(response.json());
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.contentType().startsWith("application/json")
                ? "application/json; charset=utf-8" : response.contentType());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        if (bytes.length > GZIP_ABOVE && accept != null && accept.contains("gzip")
                && !response.contentType().startsWith("image/")) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(bytes.length / 4 + 64);
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(bytes);
            }
            bytes = zipped.toByteArray();
            headers.set("Content-Encoding", "gzip");
            headers.set("Vary", "Accept-Encoding");
        }
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String part : pattern.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private record Route(String method, List<String> pattern, Handler handler, boolean write) {
        boolean matches(List<String> segments) {
            if (segments.size() != pattern.size()) {
                return false;
            }
            for (int i = 0; i < pattern.size(); i++) {
                String part = pattern.get(i);
                if (!part.startsWith("{") && !part.equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
