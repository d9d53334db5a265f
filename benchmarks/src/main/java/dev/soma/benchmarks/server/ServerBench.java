package dev.soma.benchmarks.server;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.Selection;
import dev.soma.server.SomaServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * soma-server over loopback: {@code /data} latency on a built 10M-row model (first page, pages by
 * keyset cursor anywhere in the table, a column filter), and {@code /health} throughput with
 * keep-alive connections. The load is bounded in count and time, and goes to 127.0.0.1 only.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.server.ServerBench [rows] [healthSeconds] [healthThreads]</pre>
 */
public final class ServerBench {

    private ServerBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int healthSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int healthThreads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("soma-server-bench-");
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("marts"));
        Files.writeString(project.resolve("soma_project.yml"), "name: server_bench\nversion: 1.0.0\n"
                + "models:\n  marts: {materialized: table, schema: analytics}\n");
        Files.writeString(project.resolve("sources.yml"), "sources:\n  - name: raw\n    schema: raw\n    tables:\n"
                + "      - name: events\n");
        Files.writeString(project.resolve("marts/fct_events.sql"), "select * from ${source('raw', 'events')}\n");
        try (Warehouse warehouse = Warehouse.open(dir.resolve("bench.duckdb"))) {
            long t0 = System.nanoTime();
            warehouse.createSchema("raw");
            warehouse.execute(SqlOwner.loader("bench"), "CREATE TABLE raw.events AS SELECT i AS event_id, "
                    + "'user_' || (i % 100000) AS user_id, ['view', 'click', 'buy'][1 + i % 3] AS kind, "
                    + "(i % 1000) / 10.0 AS amount FROM range(" + rows + ") t(i)");
            try (Soma soma = Soma.builder().project(project).warehouse(warehouse).targetDir(dir.resolve("target")).build()) {
                soma.build(Selection.all());
                System.out.printf(Locale.ROOT, "setup: %,d rows built in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
                try (SomaServer server = SomaServer.builder().soma(soma).warehouse(warehouse).port(0).build().start()) {
                    int port = server.port();
                    Random random = new Random(42);
                    {
                        Client client = new Client(port);
                        latency(client, "warm-up", 300, i -> "/data/fct_events?page_size=100&after=" + random.nextLong(rows));
                        latency(client, "/data first page (page_size=10)", 500, i -> "/data/fct_events");
                        latency(client, "/data page 2 (page=2, OFFSET 100)", 30, i -> "/data/fct_events?page=2&page_size=100");
                        latency(client, "/data any page by cursor (after=random, page_size=100)", 1000,
                                i -> "/data/fct_events?page_size=100&after=" + random.nextLong(rows));
                        latency(client, "/data last page by cursor", 200,
                                i -> "/data/fct_events?page_size=100&after=" + (rows - 50));
                        latency(client, "/data filter kind=buy, cursor", 200,
                                i -> "/data/fct_events?kind=buy&page_size=100&after=" + random.nextLong(rows));
                        latency(client, "/data page 1000 by OFFSET (for contrast)", 20,
                                i -> "/data/fct_events?page=1000&page_size=100");
                    }
                    health(port, healthThreads, healthSeconds);
                }
            }
        }
    }

    private interface PathFor {
        String path(int i);
    }

    /** java.net.http on HTTP/1.1: one pooled keep-alive connection per sequential caller. */
    private static final class Client {
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        private final int port;

        Client(int port) {
            this.port = port;
        }

        int get(String path) throws Exception {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static void latency(Client client, String what, int count, PathFor paths) throws Exception {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            String path = paths.path(i);
            long start = System.nanoTime();
            int status = client.get(path);
            micros[i] = (System.nanoTime() - start) / 1000;
            if (status != 200) {
                throw new IllegalStateException(path + " answered " + status);
            }
        }
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "%-55s n=%5d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", what, count,
                micros[count / 2] / 1000.0, micros[(int) Math.ceil(count * 0.99) - 1] / 1000.0, micros[count - 1] / 1000.0);
    }

    private static void health(int port, int threads, int seconds) throws Exception {
        long maxRequests = 2_000_000;
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // A short warm-up so the JIT has compiled the path before the clock starts.
        Client warm = new Client(port);
        for (int i = 0; i < 2000; i++) {
            warm.get("/health");
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> load = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    Client client = new Client(port);
                    while (System.nanoTime() < deadline && done.get() < maxRequests) {
                        if (client.get("/health") != 200) {
                            failed.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            });
            thread.start();
            load.add(thread);
        }
        for (Thread thread : load) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "/health: %,d requests in %.1f s on %d keep-alive connections = %,.0f req/s (%d failed)%n",
                done.get(), elapsed, threads, done.get() / elapsed, failed.get());
    }
}
