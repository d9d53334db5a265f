package dev.soma.benchmarks.ingest;

import com.sun.net.httpserver.HttpServer;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.HttpSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Do HTTP page requests overlap up to the rate limit? A local JDK server answers {@code pages} pages
 * of 100 records, each after {@code latency} ms; the load runs with several {@code max_in_flight} and
 * rate limits, and each run is compared with its floor, the larger of {@code pages × latency / in-flight}
 * (latency bound) and {@code pages / rate} (rate bound). Idle waits between pages would show as a
 * time well above the floor.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.ingest.HttpOverlapCheck 60 100</pre>
 */
public final class HttpOverlapCheck {

    private HttpOverlapCheck() {
    }

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int latency = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService threads = Executors.newFixedThreadPool(32);
        server.setExecutor(threads);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        server.createContext("/books", exchange -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                int page = Integer.parseInt(exchange.getRequestURI().getQuery().replaceAll(".*page=(\\d+).*", "$1"));
                Thread.sleep(latency);
                StringJoiner records = new StringJoiner(",", "[", "]");
                if (page <= pages) {
                    for (int i = 0; i < 100; i++) {
                        records.add("{\"id\":" + (page * 100 + i) + ",\"title\":\"Book " + i + "\"}");
                    }
                }
                byte[] body = records.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/books";
        System.out.printf(Locale.ROOT, "%d pages of 100 records, %d ms each (plus one empty page that ends the read)%n", pages, latency);
        System.out.printf(Locale.ROOT, "%-12s %-12s %9s %9s %7s %6s%n", "in flight", "rate limit", "measured", "floor", "ratio", "peak");
        int[][] configs = {{1, 0}, {4, 0}, {8, 0}, {8, 20}, {8, 5}};
        try (Warehouse warehouse = Warehouse.inMemory()) {
            run(warehouse, url, 1, 0, pages, latency, peak, true);   // warm-up
            for (int[] config : configs) {
                run(warehouse, url, config[0], config[1], pages, latency, peak, false);
            }
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private static void run(Warehouse warehouse, String url, int maxInFlight, int rate, int pages, int latency,
                            AtomicInteger peak, boolean warmUp) {
        HttpSpec http = new HttpSpec(url, null, null, null, null, new HttpSpec.Pagination("page", "page", "size", 100, 1, null, 0),
                Duration.ofSeconds(30), 0, null, rate, Duration.ofSeconds(1), maxInFlight);
        String name = "bench.http_" + maxInFlight + "_" + rate;
        SourceSpec spec = new SourceSpec(name, "raw", "http_" + maxInFlight + "_" + rate + (warmUp ? "_warm" : ""), http,
                List.of(ColumnSpec.of("id", "BIGINT"), ColumnSpec.of("title", "VARCHAR")), List.of("id"), null,
                WriteMode.APPEND, null);
        peak.set(0);
        long start = System.nanoTime();
        LoadResult result = Ingest.builder().warehouse(warehouse).source(spec).build().load(spec);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!result.succeeded() || result.rowsLoaded() != pages * 100L) {
            throw new IllegalStateException("unexpected load: " + result);
        }
        if (warmUp) {
            return;
        }
        int requests = pages + 1;
        double latencyBound = Math.ceil((double) requests / maxInFlight) * latency / 1000.0;
        double rateBound = rate == 0 ? 0 : (requests - 1) / (double) rate;
        double floor = Math.max(latencyBound, rateBound);
        System.out.printf(Locale.ROOT, "%-12d %-12s %8.2fs %8.2fs %6.2fx %6d%n", maxInFlight, rate == 0 ? "none" : rate + "/s",
                seconds, floor, seconds / floor, peak.get());
    }
}
