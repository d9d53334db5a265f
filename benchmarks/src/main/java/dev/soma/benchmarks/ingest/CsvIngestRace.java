package dev.soma.benchmarks.ingest;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestListener;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CSV target measured on a shared, noisy machine: DuckDB's bare {@code read_csv} into a table and a
 * validated {@code Ingest.load} of the same file, alternated round after round in one JVM on one file
 * database, so both see the same noise; prints each round, the median of the per-round ratios, and where
 * the load's time goes (reading + validating into the staged table, then the transaction). Process CPU time (all
 * threads, DuckDB's native ones too) is measured alongside: on a machine shared with other builds it varies less than
 * wall time, so its ratio is printed too.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.ingest.CsvIngestRace 10000000 5</pre>
 */
public final class CsvIngestRace {

    private CsvIngestRace() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("soma-ingest-race-");
        Path csv = dir.resolve("books.csv");
        long start = System.nanoTime();
        CsvIngestBenchmark.writeCsv(csv, rows);
        System.out.printf(Locale.ROOT, "wrote %,d rows (%,d MB) in %.1f s%n", rows, Files.size(csv) >> 20,
                (System.nanoTime() - start) / 1e9);
        List<ColumnSpec> columns = CsvIngestBenchmark.columns();
        SourceSpec keyed = new SourceSpec("bench.books", "raw", "books", CsvSpec.of(csv.toString()), columns, List.of("id"),
                null, WriteMode.APPEND, null);
        SourceSpec plain = new SourceSpec("bench.plain", "raw", "plain", CsvSpec.of(csv.toString()), columns, List.of(),
                null, WriteMode.APPEND, null);
        SqlOwner owner = SqlOwner.soma("bench");
        List<Double> keyedRatios = new ArrayList<>();
        List<Double> plainRatios = new ArrayList<>();
        List<Double> keyedCpuRatios = new ArrayList<>();
        List<Double> plainCpuRatios = new ArrayList<>();
        try (Warehouse warehouse = Warehouse.open(dir.resolve("race.duckdb"))) {
            warehouse.createSchema("raw");
            for (int round = 0; round <= rounds; round++) {
                double[] cpu = new double[3];
                double bare = timed(warehouse, cpu, 0, () -> warehouse.execute(owner, "CREATE TABLE raw.bare AS SELECT * FROM read_csv("
                        + "'" + csv + "', auto_detect = false, header = true, delim = ',', quote = '\"', escape = '\"', columns = "
                        + "{'id': 'BIGINT', 'isbn': 'VARCHAR', 'title': 'VARCHAR', 'author': 'VARCHAR', "
                        + "'price': 'DECIMAL(10,2)', 'published': 'DATE', 'format': 'VARCHAR'})"));
                Phases keyedPhases = new Phases();
                double withKey = timed(warehouse, cpu, 1, () -> check(Ingest.builder().warehouse(warehouse).source(keyed)
                        .listener(keyedPhases).build().load(keyed.name()), rows));
                double noKey = timed(warehouse, cpu, 2, () -> check(Ingest.builder().warehouse(warehouse).source(plain).build()
                        .load(plain.name()), rows));
                String label = round == 0 ? "warm-up" : "round " + round;
                System.out.printf(Locale.ROOT, "%-8s bare read_csv %6.2f s | ingest with key %6.2f s (%.2fx; staging %.2f s, "
                                + "transaction %.2f s) | ingest without key %6.2f s (%.2fx)%n", label, bare, withKey,
                        bare / withKey, keyedPhases.seconds(IngestListener.Phase.READING, IngestListener.Phase.WRITING),
                        keyedPhases.seconds(IngestListener.Phase.WRITING, IngestListener.Phase.COMMITTED), noKey, bare / noKey);
                System.out.printf(Locale.ROOT, "%-8s process CPU: bare %6.2f s | with key %6.2f s (%.2fx) | without key %6.2f s (%.2fx)%n",
                        "", cpu[0], cpu[1], cpu[0] / cpu[1], cpu[2], cpu[0] / cpu[2]);
                if (round > 0) {
                    keyedRatios.add(bare / withKey);
                    plainRatios.add(bare / noKey);
                    keyedCpuRatios.add(cpu[0] / cpu[1]);
                    plainCpuRatios.add(cpu[0] / cpu[2]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "median ratio (bare time / ingest time, >= 0.8 is the target): with key %.2fx, without key %.2fx%n",
                median(keyedRatios), median(plainRatios));
        System.out.printf(Locale.ROOT, "median ratio of process CPU time (bare / ingest): with key %.2fx, without key %.2fx%n",
                median(keyedCpuRatios), median(plainCpuRatios));
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Wall seconds of {@code work}; its process CPU seconds (every thread, DuckDB's too) go to {@code cpu[slot]}. */
    private static double timed(Warehouse warehouse, double[] cpu, int slot, Runnable work) {
        warehouse.execute(SqlOwner.soma("bench"), "DROP TABLE IF EXISTS raw.bare; DROP TABLE IF EXISTS raw.books; "
                + "DROP TABLE IF EXISTS raw.plain; DROP SCHEMA IF EXISTS soma_meta CASCADE; CHECKPOINT");
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        cpu[slot] = (processCpuNanos() - cpuStart) / 1e9;
        return seconds;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void check(LoadResult result, long rows) {
        if (!result.succeeded() || result.rowsLoaded() + result.rowsRejected() != rows) {
            throw new IllegalStateException("unexpected load: " + result);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** When each phase began. */
    private static final class Phases implements IngestListener {
        private final Map<Phase, Long> at = new EnumMap<>(Phase.class);

        @Override
        public void phase(SourceSpec source, Phase phase) {
            at.put(phase, System.nanoTime());
        }

        double seconds(Phase from, Phase to) {
            return at.containsKey(from) && at.containsKey(to) ? (at.get(to) - at.get(from)) / 1e9 : Double.NaN;
        }
    }
}
