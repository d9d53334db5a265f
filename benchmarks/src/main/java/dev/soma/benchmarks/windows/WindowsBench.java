package dev.soma.benchmarks.windows;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A harness (not JMH: one measurement is one whole run of thousands of windows) for windowed models.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.windows.WindowsBench overhead 8760 3 [THREADS]
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.windows.WindowsBench sales 10000000 365 3 [THREADS]
 * </pre>
 *
 * <p>THREADS is the run's {@code threads} (default 1): a windowed model spreads its windows over that
 * many connections. Each line ends with the system load average when it was printed.
 *
 * <ul>
 *   <li>{@code overhead HOURS ROUNDS}: a fresh database per round; hourly windows over HOURS hours,
 *   first all empty, then with one row per hour. Each is run twice: the first run (batches of windows
 *   locked and loaded on the fast path), then {@code --full-refresh}, which re-checks every window on
 *   the careful path (pre-check counts and checksums; equal, so "skipped"). Prints milliseconds per
 *   window.</li>
 *   <li>{@code sales ROWS DAYS ROUNDS}: ROWS sales over DAYS days; per round, one
 *   {@code CREATE TABLE AS} of all of them and the same SELECT as a windowed model in daily windows,
 *   alternating which goes first; prints each and the median ratio, of wall time and of the process's CPU time.</li>
 * </ul>
 */
public final class WindowsBench {

    private static final SqlOwner OWNER = SqlOwner.soma("bench");
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private static int threads = 1;

    private WindowsBench() {
    }

    private static String load() {
        return String.format(Locale.ROOT, "load %.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "overhead";
        if (mode.equals("overhead")) {
            threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
            overhead(args.length > 1 ? Integer.parseInt(args[1]) : 8760, args.length > 2 ? Integer.parseInt(args[2]) : 3);
        } else {
            threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            sales(args.length > 1 ? Long.parseLong(args[1]) : 10_000_000, args.length > 2 ? Integer.parseInt(args[2]) : 365,
                    args.length > 3 ? Integer.parseInt(args[3]) : 3);
        }
    }

    private static void overhead(int hours, int rounds) throws IOException {
        warmUp();
        Instant now = START.plusSeconds(hours * 3600L);
        for (int round = 1; round <= rounds; round++) {
            for (boolean oneRow : new boolean[] {false, true}) {
                Path dir = Files.createTempDirectory("soma-windows-bench-");
                Path project = project(dir, "1h", "2024-01-01");
                try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
                    warehouse.createSchema("raw");
                    warehouse.execute(OWNER, "CREATE TABLE raw.events AS SELECT range AS id, TIMESTAMP '2024-01-01 00:30:00' "
                            + "+ range * INTERVAL 1 HOUR AS created_at, range % 7 AS amount FROM range(" + (oneRow ? hours : 0) + ")");
                    for (boolean again : new boolean[] {false, true}) {
                        // First the run that loads every window, then a --full-refresh that re-checks each one.
                        long t0 = System.nanoTime();
                        RunResult result = run(project, warehouse, now, again);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        System.out.printf(Locale.ROOT, "round %d, %s windows, %s, threads %d: %,d windows in %,.0f ms = %.2f ms per window  [%s]  %s%n",
                                round, oneRow ? "one-row" : "empty", again ? "full refresh (re-check)" : "first run", threads, hours,
                                ms, ms / hours, result.result("events_w").message().lines().findFirst().orElse(""), load());
                    }
                }
            }
        }
    }

    /** A throwaway run of 500 hourly windows, so the first measured run does not pay for JIT and class loading. */
    private static void warmUp() throws IOException {
        Path dir = Files.createTempDirectory("soma-windows-warmup-");
        Path project = project(dir, "1h", "2024-01-01");
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            warehouse.createSchema("raw");
            warehouse.execute(OWNER, "CREATE TABLE raw.events AS SELECT range AS id, TIMESTAMP '2024-01-01 00:30:00' "
                    + "+ range * INTERVAL 1 HOUR AS created_at, range % 7 AS amount FROM range(500)");
            run(project, warehouse, START.plusSeconds(500 * 3600L), false);
            run(project, warehouse, START.plusSeconds(500 * 3600L), true);
        }
    }

    private static void sales(long rows, int days, int rounds) throws IOException {
        Path dir = Files.createTempDirectory("soma-windows-bench-");
        Path project = project(dir, "1d", "2024-01-01");
        Instant now = START.plusSeconds(days * 86400L);
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            warehouse.createSchema("raw");
            long t = System.nanoTime();
            warehouse.execute(OWNER, "CREATE TABLE raw.events AS SELECT range AS id, TIMESTAMP '2024-01-01 00:00:00' + "
                    + "(range * " + (days * 86400L) + " // " + rows + ") * INTERVAL 1 SECOND AS created_at, range % 7 AS amount, "
                    + "'BOOK_' || (range % 10000) AS book_id FROM range(" + rows + ")");
            System.out.printf(Locale.ROOT, "wrote %,d rows over %d days in %.1f s%n", rows, days, (System.nanoTime() - t) / 1e9);
            String select = "SELECT id, created_at, amount, book_id FROM raw.events";
            for (int round = 1; round <= rounds; round++) {
                double ctas = 0;
                double windowed = 0;
                double ctasCpu = 0;
                double windowedCpu = 0;
                for (int order = 0; order < 2; order++) {
                    boolean ctasTurn = (order == 0) == (round % 2 == 1);
                    if (ctasTurn) {
                        warehouse.execute(OWNER, "DROP TABLE IF EXISTS main.ctas");
                        long t0 = System.nanoTime();
                        long c0 = cpuNanos();
                        warehouse.execute(OWNER, "CREATE TABLE main.ctas AS " + select);
                        ctas = (System.nanoTime() - t0) / 1e6;
                        ctasCpu = (cpuNanos() - c0) / 1e6;
                    } else {
                        warehouse.execute(OWNER, "DROP TABLE IF EXISTS analytics.events_w");
                        warehouse.execute(OWNER, "DROP TABLE IF EXISTS soma_meta.windows");
                        long t0 = System.nanoTime();
                        long c0 = cpuNanos();
                        RunResult result = run(project, warehouse, now, false);
                        windowed = (System.nanoTime() - t0) / 1e6;
                        windowedCpu = (cpuNanos() - c0) / 1e6;
                        if (!result.isSuccess()) {
                            throw new IllegalStateException(result.failures().toString());
                        }
                    }
                }
                ratios.add(windowed / ctas);
                cpuRatios.add(windowedCpu / ctasCpu);
                System.out.printf(Locale.ROOT, "round %d: CREATE TABLE AS %,.0f ms, windowed (%d daily windows, threads %d) %,.0f ms, ratio %.2f"
                        + "  (process CPU %,.0f / %,.0f ms, ratio %.2f)  %s%n", round, ctas, days, threads, windowed, windowed / ctas,
                        ctasCpu, windowedCpu, windowedCpu / ctasCpu, load());
            }
        }
        Collections.sort(ratios);
        Collections.sort(cpuRatios);
        System.out.printf(Locale.ROOT, "median ratio windowed / CREATE TABLE AS: %.2f (process CPU: %.2f)%n", ratios.get(ratios.size() / 2),
                cpuRatios.get(cpuRatios.size() / 2));
    }

    /**
     * CPU time of this process (all its threads, DuckDB's included): less swayed than wall time by other
     * processes on a shared machine, though not immune (they still compete for caches and memory bandwidth).
     */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static RunResult run(Path project, Warehouse warehouse, Instant now, boolean fullRefresh) {
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(threads).fullRefresh(fullRefresh)
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
            return soma.run(Selection.all());
        }
    }

    private static Path project(Path dir, String granularity, String start) throws IOException {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("marts"));
        Files.writeString(project.resolve("soma_project.yml"), """
                name: windows_bench
                models:
                  marts: {schema: analytics}
                """);
        Files.writeString(project.resolve("sources.yml"), """
                sources:
                  - name: raw
                    tables:
                      - name: events
                """);
        Files.writeString(project.resolve("marts/events_w.sql"), """
                <@config materialized="windowed" event_time="created_at" granularity="%s" start="%s"/>
                select * from ${source("raw", "events")}
                where created_at >= ${window.start} and created_at < ${window.end}
                """.formatted(granularity, start));
        return project;
    }
}
