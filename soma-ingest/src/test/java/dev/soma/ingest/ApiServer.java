package dev.soma.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real local HTTP server (the JDK's) answering with scripted JSON; records every request. */
final class ApiServer implements AutoCloseable {

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
        static Answer json(String body) {
            return new Answer(200, Map.of("Content-Type", "application/json"), body, 0);
        }

        Answer delayed(long millis) {
            return new Answer(status, headers, body, millis);
        }
    }

    /** What one request asked. */
    record Request(String path, Map<String, String> query, Map<String, List<String>> headers, long startNanos) {
        String param(String name) {
            return query.get(name);
        }
    }

    interface Script {
        Answer answer(Request request, int count);
    }

    private final HttpServer server;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    ApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    ApiServer on(String path, Script script) {
        AtomicInteger count = new AtomicInteger();
        server.createContext(path, exchange -> handle(exchange, script, count.incrementAndGet()));
        return this;
    }

    private void handle(HttpExchange exchange, Script script, int count) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Request request = new Request(exchange.getRequestURI().getPath(), query(exchange.getRequestURI().getRawQuery()),
                    Map.copyOf(exchange.getRequestHeaders()), System.nanoTime());
            requests.add(request);
            Answer answer = script.answer(request, count);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
