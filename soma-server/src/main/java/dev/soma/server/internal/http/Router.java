package dev.soma.server.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.error.SomaException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.GZIPOutputStream;

/**
 * Every route in one place, and what all of them share: the token check on writes, error answers as
 * JSON {@link ApiError}s, gzip of JSON when the client accepts it, and one request-log line per request
 * (SLF4J logger {@code dev.soma.server.request}). A Jetty core handler: it runs each request on Jetty's
 * thread, or hands it to the embedding app's executor when there is one.
 */
public final class Router extends org.eclipse.jetty.server.Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger("dev.soma.server.request");
    private static final Logger ERRORS = LoggerFactory.getLogger(Router.class);
    private static final int MAX_BODY = 1 << 20;
    private static final int GZIP_ABOVE = 1024;
    /** Most request headers accepted; more answer 431 (browsers send about 15). */
    public static final int MAX_HEADERS = 100;

    private final List<Route> routes = new ArrayList<>();
    private final ObjectMapper json = Json.mapper();
    private final String token;
    private final Executor executor;

    /**
     * @param token    the bearer token that allows writes, or {@code null}: writes are off
     * @param executor where requests run, or {@code null}: on Jetty's own threads
     */
    public Router(String token, Executor executor) {
        super(InvocationType.BLOCKING);
        this.token = token == null || token.isBlank() ? null : token;
        this.executor = executor;
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

    /** Every route as {@code "METHOD /pattern"}, in registration order. */
    public List<String> routes() {
        return routes.stream().map(route -> route.method() + " /" + String.join("/", route.pattern())).toList();
    }

    public ObjectMapper json() {
        return json;
    }

    @Override
    public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                          Callback callback) {
        if (executor == null) {
            serve(request, response, callback);
            return true;
        }
        try {
            executor.execute(() -> serve(request, response, callback));
        } catch (RejectedExecutionException e) {
            send(request, response, callback, Response.json(503, new ApiError(503, "unavailable",
                    "the server is busy: its executor refused the request; try again shortly", null)));
        }
        return true;
    }

    private void serve(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                       Callback callback) {
        long started = System.nanoTime();
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        Response answer;
        try {
            answer = dispatch(request, response, method, rawPath);
        } catch (HttpFailure failure) {
            answer = Response.json(failure.status(), failure.body());
        } catch (SomaException e) {
            answer = Response.json(400, new ApiError(400, "bad_request", e.getMessage(), null));
        } catch (ClientGone gone) {
            // Nobody is left to answer: one line, no stack trace, no 500.
            LOG.info("{} {} client left before its body arrived ({} ms)", method, rawPath,
                    (System.nanoTime() - started) / 1_000_000);
            callback.failed(gone.getCause());
            return;
        } catch (Exception e) {
            ERRORS.warn("{} {} failed", method, rawPath, e);
            answer = Response.json(500, new ApiError(500, "internal_error",
                    "the server failed on this request: " + e.getClass().getSimpleName()
                            + "; the server log has the details", null));
        }
        if (answer.status() >= 400 && !"GET".equals(method) && !"HEAD".equals(method)) {
            // A refused write may leave its body unread on the connection; Jetty then closes it after the answer.
            // Saying so lets the client open a fresh connection for its next request instead of reusing a dead one.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        send(request, response, callback, answer);
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {} ms", method, rawPath, answer.status(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Response dispatch(org.eclipse.jetty.server.Request exchange, org.eclipse.jetty.server.Response response,
                              String method, String rawPath) throws Exception {
        HttpFields headers = exchange.getHeaders();
        if (headers.size() > MAX_HEADERS) {
            throw new HttpFailure(431, "the request has " + headers.size() + " headers; at most " + MAX_HEADERS
                    + " are accepted");
        }
        Request request = Request.parse(method, rawPath, exchange.getHttpURI().getQuery(), null, null);
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            if (!route.matches(request.segments())) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            String authorization = headers.get(HttpHeader.AUTHORIZATION);
            byte[] body = new byte[0];
            if (route.write()) {
                authorize(authorization);
                body = readBody(exchange);
            }
            return route.handler().handle(new Request(method, rawPath, request.segments(), request.query(), body,
                    authorization));
        }
        if (!allowed.isEmpty()) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
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

    private static byte[] readBody(org.eclipse.jetty.server.Request request) {
        if (request.getLength() > MAX_BODY) {
            throw new HttpFailure(413, "the request body is over " + MAX_BODY + " bytes");
        }
        byte[] body;
        try {
            body = Content.Source.asInputStream(request).readNBytes(MAX_BODY + 1);
        } catch (IOException | RuntimeException e) {
            throw new ClientGone(e);
        }
        if (body.length > MAX_BODY) {
            throw new HttpFailure(413, "the request body is over " + MAX_BODY + " bytes");
        }
        return body;
    }

    private void send(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                      Callback callback, Response answer) {
        try {
            byte[] bytes = answer.bytes() != null ? answer.bytes() : json.writeValueAsBytes(answer.json());
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(HttpHeader.CONTENT_TYPE, answer.contentType().startsWith("application/json")
                    ? "application/json; charset=utf-8" : answer.contentType());
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put(HttpHeader.CACHE_CONTROL, "no-store");
            String accept = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            if (bytes.length > GZIP_ABOVE && accept != null && accept.contains("gzip")
                    && !answer.contentType().startsWith("image/")) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream(bytes.length / 4 + 64);
                try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                    gzip.write(bytes);
                }
                bytes = zipped.toByteArray();
                headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
                headers.put(HttpHeader.VARY, "Accept-Encoding");
            }
            response.setStatus(answer.status());
            headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    /** The client went away while its request body was being read. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
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
