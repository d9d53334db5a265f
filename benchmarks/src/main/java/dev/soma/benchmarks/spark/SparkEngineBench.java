package dev.soma.benchmarks.spark;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import dev.soma.generator.RawLanding;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.spark.engine.SparkEngineProvider;
import dev.soma.spark.session.SparkSessions;
import dev.soma.spark.session.SparkTarget;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bundled project on Spark {@code local[2]} + Iceberg against DuckDB, in one run: for each scale, the
 * raw data generated once into DuckDB and landed on Spark through Parquet, then a full build on each
 * engine with 2 threads. Reports Spark's session start, the landing, each build's wall time, and how much
 * of Spark's per-model time is Spark executing queries (a {@link SparkListener} sums every SQL
 * execution's time, start to end, over every session) against what is around it (Soma, planning and analysis, catalog
 * look-ups, Iceberg commits outside the timed execution).
 *
 * <p>The whole bundled project is built on both engines: windowed models, the snapshot and the contracted
 * {@code fact_inventory} included.
 *
 * <pre>
 * java &lt;Spark's --add-opens&gt; -Xmx3g -cp &lt;benchmarks classes and dependencies, soma-spark and Spark&gt; \
 *     dev.soma.benchmarks.spark.SparkEngineBench 10 100
 * </pre>
 */
public final class SparkEngineBench {

    static final Selection COMPARED = Selection.all();

    private SparkEngineBench() {
    }

    /** One engine's build. */
    record Build(double seconds, int models, int tests, double modelSeconds, double nodeSeconds, boolean success) {
    }

    public static void main(String[] args) throws IOException {
        List<Double> scales = new ArrayList<>();
        for (String arg : args) {
            scales.add(Double.parseDouble(arg));
        }
        if (scales.isEmpty()) {
            scales = List.of(10.0, 100.0);
        }
        Path project = Path.of(System.getProperty("soma.project", "models")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("soma-spark-bench");
        SparkTarget target = new SparkTarget("bench", "local[2]", null, "iceberg", work.resolve("spark-warehouse"),
                Map.of("spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2"), 2);
        long started = System.nanoTime();
        SparkSession spark = SparkSessions.start(target);
        double sessionStart = seconds(started);
        System.out.printf(Locale.ROOT, "spark session start (local[2], Iceberg hadoop catalog): %.2f s%n", sessionStart);
        // Every SQL execution of the context, whichever session (each connection has its own) ran it.
        AtomicLong executionNanos = new AtomicLong();
        AtomicLong executions = new AtomicLong();
        Map<Long, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onOtherEvent(SparkListenerEvent event) {
                if (event instanceof SparkListenerSQLExecutionStart start) {
                    startedAt.put(start.executionId(), start.time());
                } else if (event instanceof SparkListenerSQLExecutionEnd end) {
                    Long begun = startedAt.remove(end.executionId());
                    if (begun != null) {
                        executionNanos.addAndGet((end.time() - begun) * 1_000_000L);
                        executions.incrementAndGet();
                    }
                }
            }
        });
        try (Warehouse sparkWarehouse = SparkEngineProvider.warehouse(spark, target, true)) {
            for (double scale : scales) {
                Path dir = work.resolve("scale-" + (long) scale);
                Files.createDirectories(dir);
                try (Warehouse duckdb = Warehouse.open(dir.resolve("soma.duckdb"))) {
                    long t = System.nanoTime();
                    Generator.with(GenerationConfig.defaults().withScale(scale).withSeed(42)
                            .withAsOf(LocalDate.of(2025, 6, 30)).withReplace(true)).generate(duckdb);
                    double generate = seconds(t);
                    t = System.nanoTime();
                    RawLanding.land(duckdb, sparkWarehouse, dir.resolve("parquet"), true);
                    double land = seconds(t);

                    Build onDuckDb = build(project, duckdb, dir.resolve("target-duckdb"));
                    // One build per engine and scale; the first scale's Spark build also pays the JVM's warm-up
                    // (class loading, code generation): run the smaller scale first.
                    long executedBefore = executionNanos.get();
                    long queriesBefore = executions.get();
                    Build onSpark = build(project, sparkWarehouse, dir.resolve("target-spark"));
                    double executed = (executionNanos.get() - executedBefore) / 1e9;
                    long queries = executions.get() - queriesBefore;

                    System.out.printf(Locale.ROOT, "%nscale %s: generate (DuckDB) %.2f s, land on Spark (Parquet -> Iceberg) %.2f s%n",
                            number(scale), generate, land);
                    System.out.printf(Locale.ROOT, "  DuckDB build: %.2f s  (%d models, %d tests, models %.2f s)%s%n",
                            onDuckDb.seconds(), onDuckDb.models(), onDuckDb.tests(), onDuckDb.modelSeconds(),
                            onDuckDb.success() ? "" : "  FAILED");
                    System.out.printf(Locale.ROOT, "  Spark build: %.2f s  (%d models, %d tests, models %.2f s)%s  = %.1fx DuckDB%n",
                            onSpark.seconds(), onSpark.models(), onSpark.tests(), onSpark.modelSeconds(),
                            onSpark.success() ? "" : "  FAILED", onSpark.seconds() / onDuckDb.seconds());
                    int nodes = onSpark.models() + onSpark.tests();
                    System.out.printf(Locale.ROOT, "  Spark query execution (listener, %d queries and commands): %.2f s of %.2f s"
                                    + " summed over the nodes (2 threads) = %.0f%%; around it %.2f s = %.0f ms per node (%d nodes);"
                                    + " DuckDB: %.0f ms per node%n",
                            queries, executed, onSpark.nodeSeconds(), 100 * executed / onSpark.nodeSeconds(),
                            onSpark.nodeSeconds() - executed, 1000 * (onSpark.nodeSeconds() - executed) / nodes, nodes,
                            1000 * onDuckDb.nodeSeconds() / (onDuckDb.models() + onDuckDb.tests()));
                }
            }
        }
    }

    private static Build build(Path project, Warehouse warehouse, Path targetDir) {
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(2).targetDir(targetDir).build()) {
            long t = System.nanoTime();
            RunResult result = soma.build(COMPARED);
            double took = seconds(t);
            int models = 0;
            int tests = 0;
            double modelSeconds = 0;
            double nodeSeconds = 0;
            for (NodeResult node : result.results()) {
                nodeSeconds += node.duration().toNanos() / 1e9;
                if (node.node().resourceType() == ResourceType.TEST) {
                    tests++;
                } else {
                    models++;
                    modelSeconds += node.duration().toNanos() / 1e9;
                }
            }
            long failing = result.results().stream().filter(r -> r.status().isFailure()).count();
            System.out.println("  " + warehouse.engine().displayName() + ": " + failing + " failing nodes: " + result.results().stream()
                    .filter(r -> r.status().isFailure()).map(r -> r.node().name() + " " + r.status()).limit(8).toList());
            result.results().stream().filter(r -> r.error() != null).limit(5)
                    .forEach(r -> System.out.println("  error in " + r.node().name() + ": " + r.message()));
            return new Build(took, models, tests, modelSeconds, nodeSeconds, result.isSuccess());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
