package dev.soma.benchmarks.engine;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A harness (not JMH: one measurement is one whole build of the SOMA project) for write-audit-publish:
 * a plain {@code build} against {@code build --publish} of the 15 bundled models on the same file
 * database, in the same process, alternating which goes first, and the publish step on its own.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.engine.PublishBench 10000000 3 100000
 * </pre>
 *
 * Arguments: sales, rounds, new sales per build in the third pair (default 1% of the sales). Per round,
 * three pairs: with {@code --full-refresh} (every table rebuilt); incremental with nothing new
 * ({@code fact_sales} merges an empty increment; in the publish build its shadow is a view of the live
 * table and the publish step applies nothing); and incremental with new sales arriving before each build
 * (copies of existing sales under new ids, created after every other sale: the same number before the
 * plain build and before the publish build, which merges them into live in its publish step). The
 * windowed {@code sales_by_hour} is left out (a publish build leaves it out of the shadow). Prints every
 * time, the median ratios and the publish step (one transaction, 15 relations).
 */
public final class PublishBench {

    private PublishBench() {
    }

    public static void main(String[] args) throws Exception {
        long sales = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long arriving = args.length > 2 ? Long.parseLong(args[2]) : sales / 100;
        Path dir = BenchData.tempDir("soma-publish-");
        Path project = BenchData.project();
        System.out.printf(Locale.ROOT, "load before: %s%n", load());
        try {
            Path file = BenchData.generate(dir, sales);
            try (Warehouse warehouse = Warehouse.open(file)) {
                build(warehouse, project, dir, true, Publishing.OFF, 0);
                List<Double> fullRatios = new ArrayList<>();
                List<Double> incrementalRatios = new ArrayList<>();
                List<Double> arrivingRatios = new ArrayList<>();
                List<Double> publishSteps = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    for (Pair pair : Pair.values()) {
                        boolean fullRefresh = pair == Pair.FULL_REFRESH;
                        long arrive = pair == Pair.ARRIVING ? arriving : 0;
                        double plain;
                        double published;
                        Measured publish;
                        if (round % 2 == 1) {
                            plain = build(warehouse, project, dir, fullRefresh, Publishing.OFF, arrive).seconds;
                            publish = build(warehouse, project, dir, fullRefresh, Publishing.PUBLISH, arrive);
                        } else {
                            publish = build(warehouse, project, dir, fullRefresh, Publishing.PUBLISH, arrive);
                            plain = build(warehouse, project, dir, fullRefresh, Publishing.OFF, arrive).seconds;
                        }
                        published = publish.seconds;
                        publishSteps.add(publish.publishSeconds);
                        (switch (pair) {
                            case FULL_REFRESH -> fullRatios;
                            case NOTHING_NEW -> incrementalRatios;
                            case ARRIVING -> arrivingRatios;
                        }).add(published / plain);
                        System.out.printf(Locale.ROOT, "round %d %-22s plain %7.2f s  publish build %7.2f s  ratio %.3f  "
                                        + "publish step %.3f s  (load %s)%n", round, pair.label(arriving),
                                plain, published, published / plain, publish.publishSeconds, load());
                    }
                }
                System.out.printf(Locale.ROOT, "median ratio full-refresh %.3f, incremental %.3f, incremental with %,d new "
                                + "sales %.3f; publish step median %.3f s, max %.3f s; database %s MB%n", median(fullRatios),
                        median(incrementalRatios), arriving, median(arrivingRatios), median(publishSteps),
                        Collections.max(publishSteps), Files.size(file) / 1_000_000);
            }
        } finally {
            BenchData.delete(dir);
        }
    }

    private record Measured(double seconds, double publishSeconds) {
    }

    private enum Pair {
        FULL_REFRESH, NOTHING_NEW, ARRIVING;

        String label(long arriving) {
            return switch (this) {
                case FULL_REFRESH -> "full-refresh";
                case NOTHING_NEW -> "incremental";
                case ARRIVING -> String.format(Locale.ROOT, "incremental +%,d", arriving);
            };
        }
    }

    private static long arrivals;

    /**
     * {@code count} new sales: copies of the first sales under new transaction ids, created one second
     * after the newest sale, so an incremental build picks up exactly them. Not timed.
     */
    private static void arrive(Warehouse warehouse, long count) {
        arrivals++;
        warehouse.execute(SqlOwner.loader("bench"), "INSERT INTO raw.sales SELECT * REPLACE (transaction_id || '_new" + arrivals
                + "' AS transaction_id, (SELECT max(created_at) FROM raw.sales) + INTERVAL 1 SECOND AS created_at) "
                + "FROM raw.sales LIMIT " + count);
    }

    private static Measured build(Warehouse warehouse, Path project, Path dir, boolean fullRefresh, Publishing mode,
                                  long arriving) {
        if (arriving > 0) {
            arrive(warehouse, arriving);
        }
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(4).fullRefresh(fullRefresh)
                .targetDir(dir.resolve("target"))
                // The data is generated as of 2026-11-01: a clock the day after keeps source freshness passing.
                .clock(Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC)).build()) {
            long start = System.nanoTime();
            // The windowed model is left out of both: a publish build leaves it out of the shadow anyway.
            PublishedBuild build = soma.build(Selection.all().excluding("config.materialized:windowed"), mode);
            double seconds = (System.nanoTime() - start) / 1e9;
            RunResult run = build.run();
            if (!run.isSuccess() || (build.publish() != null && build.publish().state() != PublishState.PUBLISHED)) {
                throw new IllegalStateException("build failed: " + run.failures() + " " + run.errors());
            }
            return new Measured(seconds, build.publish() == null ? 0 : build.publish().elapsed().toNanos() / 1e9);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
