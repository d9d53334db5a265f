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
 * <pre>java [-Dclients=16 -DperClient=300 -Drounds=3 -Dsequential=true -DserverThreads=8] \
 *      -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.server.ServerBench [rows] [healthSeconds] [healthThreads]</pre>
 *
 * <p>The concurrent phase runs {@code clients} keep-alive connections at once, each asking pages by a random
 * cursor, then (in the same round) the same page queries over plain JDBC from as many threads: the ratio is
 * Soma's own share.
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
                try (SomaServer server = SomaServer.builder().soma(soma).warehouse(warehouse).port(0)
                        .threads(Integer.getInteger("serverThreads", 8))
                        .concurrentQueries(Integer.getInteger("concurrentQueries", Runtime.getRuntime().availableProcessors()))
                        .build().start()) {
                    int port = server.port();
                    Random random = new Random(42);
                    if (Boolean.parseBoolean(System.getProperty("sequential", "true"))) {
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
                    int clients = Integer.getInteger("clients", 16);
                    int perClient = Integer.getInteger("perClient", 300);
                    int rounds = Integer.getInteger("rounds", 3);
                    for (int round = 1; round <= rounds; round++) {
                        System.out.printf(Locale.ROOT, "round %d, load %s%n", round, loadAverage());
                        concurrent(port, clients, perClient, rows, round);
                        bare(warehouse, clients, perClient, rows, round, "rowid");
                        bare(warehouse, clients, perClient, rows, round, "event_id");
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

    /**
     * {@code clients} threads, each on its own keep-alive connection, each asking {@code perClient} pages by a
     * random cursor (after a warm-up of 50 each), all at once: the latency of every request, and the throughput.
     */
    private static void concurrent(int port, int clients, int perClient, long rows, int round) throws Exception {
        long[][] micros = new long[clients][];
        runThreads(clients, c -> {
            Random random = new Random(1000L * round + c);
            try (RawClient client = new RawClient(port)) {
                for (int i = 0; i < 50; i++) {
                    client.get("/data/fct_events?page_size=100&after=" + random.nextLong(rows));
                }
                long[] mine = new long[perClient];
                for (int i = 0; i < perClient; i++) {
                    String path = "/data/fct_events?page_size=100&after=" + random.nextLong(rows);
                    long start = System.nanoTime();
                    int status = client.get(path);
                    mine[i] = (System.nanoTime() - start) / 1000;
                    if (status != 200) {
                        throw new IllegalStateException(path + " answered " + status);
                    }
                }
                micros[c] = mine;
            }
        }, "/data by cursor, page_size=100, " + clients + " clients", micros);
    }

    /**
     * The same page queries over plain JDBC from {@code clients} threads, each on its own connection to the same
     * database (a duplicate of the warehouse's), one prepared statement each, the rows read into objects: what
     * DuckDB alone costs for the pages the server answers.
     */
    private static void bare(Warehouse warehouse, int clients, int perClient, long rows, int round, String key)
            throws Exception {
        long[][] micros = new long[clients][];
        runThreads(clients, c -> {
            Random random = new Random(1000L * round + c);
            try (dev.soma.core.warehouse.Session session = warehouse.openSession();
                 java.sql.PreparedStatement page = session.jdbc().prepareStatement("SELECT rowid, event_id, user_id, "
                         + "kind, amount FROM analytics.fct_events WHERE " + key + " > ? AND " + key + " <= ? ORDER BY "
                         + key + " LIMIT ?")) {
                long[] mine = new long[perClient];
                for (int i = -50; i < perClient; i++) {
                    long after = random.nextLong(rows);
                    long start = System.nanoTime();
                    page.setLong(1, after);
                    page.setLong(2, after + 64 * 101);
                    page.setInt(3, 101);
                    int n = 0;
                    try (java.sql.ResultSet rs = page.executeQuery()) {
                        List<Object> row = new ArrayList<>(5);
                        while (rs.next()) {
                            row.clear();
                            for (int col = 1; col <= 5; col++) {
                                row.add(rs.getObject(col));
                            }
                            n++;
                        }
                    }
                    if (i >= 0) {
                        mine[i] = (System.nanoTime() - start) / 1000;
                    }
                    if (n == 0) {
                        throw new IllegalStateException("no rows after " + after);
                    }
                }
                micros[c] = mine;
            }
        }, "rowid".equals(key) ? "bare JDBC, same page queries, " + clients + " threads"
                : "bare JDBC, keyset on " + key + " (zone maps), " + clients + " threads", micros);
    }

    private interface ClientWork {
        void run(int client) throws Exception;
    }

    private static void runThreads(int clients, ClientWork work, String what, long[][] micros) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try {
                    work.run(client);
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMillis = (os.getProcessCpuTime() - cpuStart) / 1e6;
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        long[] all = Arrays.stream(micros).flatMapToLong(Arrays::stream).sorted().toArray();
        int n = all.length;
        // CPU of the whole process (client threads, server, DuckDB's workers) per request, warm-up included: what
        // a request costs whatever else the machine runs.
        System.out.printf(Locale.ROOT, "%-55s n=%5d  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms  "
                        + "%,.0f req/s  %.2f ms CPU/req%n", what, n, all[n / 2] / 1000.0,
                all[(int) Math.ceil(n * 0.95) - 1] / 1000.0, all[(int) Math.ceil(n * 0.99) - 1] / 1000.0,
                all[n - 1] / 1000.0, n / elapsed, cpuMillis / (n + 50.0 * clients));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * A blocking HTTP/1.1 client on one keep-alive socket: writes a GET, reads the status line, the headers and
     * {@code Content-Length} bytes of body. Far lighter than java.net.http (no selector thread per client), so
     * 16 of them on a 2-core machine leave the CPU to the server being measured.
     */
    private static final class RawClient implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.InputStream in;
        private final java.io.OutputStream out;
        private final byte[] buffer = new byte[1 << 16];

        RawClient(int port) throws java.io.IOException {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }

        int get(String path) throws java.io.IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (header.substring(0, colon).equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(header.substring(colon + 1).strip());
                }
            }
            if (length < 0) {
                throw new java.io.IOException(path + ": no Content-Length");
            }
            while (length > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, length));
                if (read < 0) {
                    throw new java.io.EOFException(path);
                }
                length -= read;
            }
            return code;
        }

        private String line() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new java.io.EOFException();
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    /** One keep-alive connection asking a path: {@link RawClient}, or java.net.http's {@link Client}. */
    private interface Getter {
        int get(String path) throws Exception;
    }

    /**
     * {@code /health} from {@code threads} keep-alive connections for {@code seconds}. The connections are
     * {@link RawClient}s unless {@code -DhealthClient=jdk}: java.net.http costs this JVM more CPU a request than the
     * server answering it (a CPU profile of 8 s: its threads 6.7 CPU s, Jetty's and Soma's 4.2), so on 2 cores it
     * measured the client as much as the server (benchmarks/README.md section 24).
     */
    private static void health(int port, int threads, int seconds) throws Exception {
        boolean jdk = "jdk".equals(System.getProperty("healthClient", "raw"));
        long maxRequests = 2_000_000;
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // A short warm-up so the JIT has compiled the path before the clock starts.
        try (RawClient raw = new RawClient(port)) {
            Getter warm = jdk ? new Client(port)::get : raw::get;
            for (int i = 0; i < 2000; i++) {
                warm.get("/health");
            }
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> load = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                RawClient raw = null;
                try {
                    Getter client;
                    if (jdk) {
                        client = new Client(port)::get;
                    } else {
                        raw = new RawClient(port);
                        client = raw::get;
                    }
                    while (System.nanoTime() < deadline && done.get() < maxRequests) {
                        if (client.get("/health") != 200) {
                            failed.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    if (raw != null) {
                        try {
                            raw.close();
                        } catch (java.io.IOException ignored) {
                            // the run is over
                        }
                    }
                }
            });
            thread.start();
            load.add(thread);
        }
        for (Thread thread : load) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "/health (%s client): %,d requests in %.1f s on %d keep-alive connections = %,.0f req/s (%d failed)%n",
                jdk ? "java.net.http" : "raw socket", done.get(), elapsed, threads, done.get() / elapsed, failed.get());
    }
}
