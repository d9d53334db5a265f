package dev.soma.enrich;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real local HTTP server (JDK HttpServer) answering, per exact path-and-query, with queued
 * responses in the shapes of reference/book-apis.md; the last response of a route repeats. Unknown
 * routes answer 404. Records every request's path and query.
 */
final class BookApiServer implements AutoCloseable {

    record Reply(int status, String body, Map<String, String> headers, long delayMillis) {
        static Reply json(String body) {
            return new Reply(200, body, Map.of(), 0);
        }

        static Reply status(int status, String body) {
            return new Reply(status, body, Map.of(), 0);
        }

        static Reply redirect(String location) {
            return new Reply(302, "", Map.of("Location", location), 0);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new java.util.HashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, delayMillis);
        }

        Reply after(long millis) {
            return new Reply(status, body, headers, millis);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> routes = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    BookApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "book-api-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code pathAndQuery} with these replies in turn, the last one from then on. */
    BookApiServer on(String pathAndQuery, Reply... replies) {
        routes.put(pathAndQuery, new ArrayDeque<>(List.of(replies)));
        return this;
    }

    long count(String prefix) {
        return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String key = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        requests.add(key);
        Deque<Reply> queue = routes.get(key);
        Reply reply;
        if (queue == null) {
            reply = Reply.status(404, "{\"error\": \"notfound\"}");
        } else {
            synchronized (queue) {
                reply = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        try {
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client timed out and closed the connection
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
