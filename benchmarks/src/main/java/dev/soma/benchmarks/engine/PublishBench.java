package dev.soma.benchmarks.engine;

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
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.engine.PublishBench 10000000 3
 * </pre>
 *
 * Per round, two pairs: with {@code --full-refresh} (every table rebuilt: nothing to copy), and without
 * (incremental {@code fact_sales} merges an empty increment; its shadow starts as a copy of the live
 * table). The windowed {@code sales_by_hour} is left out of both (a publish build leaves it out of the
 * shadow). Prints every time, the median ratios and the publish step (one transaction, 15 relations).
 */
public final class PublishBench {

    private PublishBench() {
    }

    public static void main(String[] args) throws Exception {
        long sales = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = BenchData.tempDir("soma-publish-");
        Path project = BenchData.project();
        System.out.printf(Locale.ROOT, "load before: %s%n", load());
        try {
            Path file = BenchData.generate(dir, sales);
            try (Warehouse warehouse = Warehouse.open(file)) {
                build(warehouse, project, dir, true, Publishing.OFF);
                List<Double> fullRatios = new ArrayList<>();
                List<Double> incrementalRatios = new ArrayList<>();
                List<Double> publishSteps = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    for (boolean fullRefresh : new boolean[] {true, false}) {
                        double plain;
                        double published;
                        Measured publish;
                        if (round % 2 == 1) {
                            plain = build(warehouse, project, dir, fullRefresh, Publishing.OFF).seconds;
                            publish = build(warehouse, project, dir, fullRefresh, Publishing.PUBLISH);
                        } else {
                            publish = build(warehouse, project, dir, fullRefresh, Publishing.PUBLISH);
                            plain = build(warehouse, project, dir, fullRefresh, Publishing.OFF).seconds;
                        }
                        published = publish.seconds;
                        publishSteps.add(publish.publishSeconds);
                        (fullRefresh ? fullRatios : incrementalRatios).add(published / plain);
                        System.out.printf(Locale.ROOT, "round %d %-13s plain %7.2f s  publish build %7.2f s  ratio %.3f  "
                                        + "publish step %.3f s  (load %s)%n", round, fullRefresh ? "full-refresh" : "incremental",
                                plain, published, published / plain, publish.publishSeconds, load());
                    }
                }
                System.out.printf(Locale.ROOT, "median ratio full-refresh %.3f, incremental %.3f; publish step median %.3f s, "
                                + "max %.3f s; database %s MB%n", median(fullRatios), median(incrementalRatios),
                        median(publishSteps), Collections.max(publishSteps), Files.size(file) / 1_000_000);
            }
        } finally {
            BenchData.delete(dir);
        }
    }

    private record Measured(double seconds, double publishSeconds) {
    }

    private static Measured build(Warehouse warehouse, Path project, Path dir, boolean fullRefresh, Publishing mode) {
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
