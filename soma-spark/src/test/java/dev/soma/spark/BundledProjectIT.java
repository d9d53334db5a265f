package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.spark.load.ParquetTransfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof: the bundled project (models/), built on DuckDB and on Spark + Iceberg from the same
 * generated raw data at scale 10, gives the same rows in every model (windowed and contracted ones
 * included) and in the snapshot, and the same result for every data test.
 *
 * <p>Both builds run at the same instant (a clock the test sets), so what depends on the run's time is the
 * same on both engines and is compared value for value too: the windows a windowed model loads (the last
 * seven days before "now", less its lag) and a snapshot's {@code dbt_valid_from}, {@code dbt_updated_at}
 * and {@code dbt_scd_id} (md5 of the key and that time). The snapshot is then taken a second time, an hour
 * later, after the same books changed price and one disappeared on both engines: its versions must still
 * be equal, and form valid histories (checked on their own, below).
 */
class BundledProjectIT {

    private static final SqlOwner OWNER = SqlOwner.soma("compare");
    private static final Path MODELS = Path.of("..", "models").toAbsolutePath().normalize();
    private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
    /** "Now" of the first build: the day after the data's last day, so the windows cover its last week. */
    private static final Instant FIRST_RUN = AS_OF.plusDays(1).atTime(6, 0).toInstant(ZoneOffset.UTC);
    private static final Instant SECOND_RUN = FIRST_RUN.plusSeconds(3600);
    private static final String SNAPSHOT = "book_prices_snapshot";

    @Test
    void everyModelHasTheSameRowsOnDuckDbAndSpark(@TempDir Path temp) {
        try (Warehouse duckdb = Warehouse.open(temp.resolve("soma.duckdb")); Warehouse spark = SharedSpark.warehouse()) {
            Generator.with(GenerationConfig.defaults().withScale(10).withSeed(42).withAsOf(AS_OF)).generate(duckdb);
            ParquetTransfer.copySchema(duckdb, spark, "raw", temp.resolve("parquet"));

            SettableClock clock = new SettableClock(FIRST_RUN);
            Built onDuckDb = build(duckdb, temp.resolve("target-duckdb"), clock, Selection.all());
            long started = System.nanoTime();
            Built onSpark = build(spark, temp.resolve("target-spark"), clock, Selection.all());
            System.out.println("[BundledProjectIT] built " + onSpark.relations.size() + " models and snapshots on Spark in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");

            assertThat(onSpark.statuses).as("node statuses on Spark vs DuckDB").isEqualTo(onDuckDb.statuses);
            assertThat(onDuckDb.statuses.keySet()).as("every kind of node ran")
                    .anyMatch(id -> id.startsWith("test.")).anyMatch(id -> id.endsWith(".sales_by_hour"))
                    .anyMatch(id -> id.endsWith(".fact_inventory")).anyMatch(id -> id.endsWith("." + SNAPSHOT));
            assertThat(onDuckDb.relations).extracting(NodeInfo::name).contains("sales_by_hour", "fact_inventory", SNAPSHOT);
            NodeInfo windowed = onDuckDb.relations.stream().filter(n -> n.name().equals("sales_by_hour")).findFirst().orElseThrow();
            assertThat(duckdb.queryLong(OWNER, "SELECT count(*) FROM " + duckdb.engine().dialect().relation(
                    windowed.relation().schema(), windowed.relation().identifier())))
                    .as("the windows hold the last week's sales").isPositive();
            List<String> differences = compare(duckdb, spark, onDuckDb.relations);
            System.out.println("[BundledProjectIT] compared " + onDuckDb.relations.size() + " models and snapshots, "
                    + differences.size() + " differ");
            // Averages and divisions are cast to DOUBLE before they are taken (avg(cast(x, type_float()))): Spark
            // keeps DECIMAL where DuckDB goes to DOUBLE, which differed from the 6th digit before.
            assertThat(differences).as("relations whose rows differ:\n" + String.join("\n", differences)).isEmpty();

            // The snapshot again, an hour later: three books changed price, one is gone (the same on both engines).
            for (Warehouse warehouse : List.of(duckdb, spark)) {
                String books = warehouse.engine().dialect().relation("raw", "books");
                List<String> ids = warehouse.queryList(OWNER, "SELECT book_id FROM " + books + " ORDER BY book_id LIMIT 4",
                        rs -> rs.getString(1));
                warehouse.execute(OWNER, "UPDATE " + books + " SET price = price + 1 WHERE book_id IN ('" + ids.get(0) + "', '"
                        + ids.get(1) + "', '" + ids.get(2) + "')");
                warehouse.execute(OWNER, "DELETE FROM " + books + " WHERE book_id = '" + ids.get(3) + "'");
            }
            clock.set(SECOND_RUN);
            Selection snapshot = Selection.of(SNAPSHOT);
            Built againDuckDb = build(duckdb, temp.resolve("target-duckdb"), clock, snapshot);
            Built againSpark = build(spark, temp.resolve("target-spark"), clock, snapshot);
            assertThat(againSpark.statuses).isEqualTo(againDuckDb.statuses);
            List<String> snapshotDifferences = compare(duckdb, spark, againDuckDb.relations);
            assertThat(snapshotDifferences).as(String.join("\n", snapshotDifferences)).isEmpty();
            for (Warehouse warehouse : List.of(duckdb, spark)) {
                assertValidHistories(warehouse);
            }
        }
    }

    /**
     * A snapshot's versions form valid histories: per book at most one current version (none for the
     * deleted one); the 3 changed books and the deleted one have their first version closed at the second
     * run, the changed ones a current version from it; every other book one version, from the first run.
     */
    private static void assertValidHistories(Warehouse warehouse) {
        String engine = warehouse.engine().name();
        String relation = warehouse.engine().dialect().relation("snapshots", SNAPSHOT);
        String first = "TIMESTAMP '2025-07-01 06:00:00'";
        String second = "TIMESTAMP '2025-07-01 07:00:00'";
        long books = warehouse.queryLong(OWNER, "SELECT count(DISTINCT book_id) FROM " + relation);
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + relation)).as(engine).isEqualTo(books + 3);
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM (SELECT book_id FROM " + relation
                + " WHERE dbt_valid_to IS NULL GROUP BY book_id HAVING count(*) > 1) AS x")).as(engine + ": two current versions").isZero();
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + relation + " WHERE dbt_valid_to IS NULL"))
                .as(engine + ": current versions").isEqualTo(books - 1);
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + relation + " WHERE dbt_valid_to = " + second
                + " AND dbt_valid_from = " + first)).as(engine + ": versions closed by the second run").isEqualTo(4);
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + relation + " WHERE dbt_valid_from = " + second
                + " AND dbt_valid_to IS NULL")).as(engine + ": versions opened by the second run").isEqualTo(3);
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + relation + " WHERE dbt_valid_from >= dbt_valid_to"))
                .as(engine + ": empty or backwards intervals").isZero();
    }

    private static List<String> compare(Warehouse duckdb, Warehouse spark, List<NodeInfo> relations) {
        List<String> differences = new ArrayList<>();
        for (NodeInfo node : relations) {
            List<String> duckRows = duckdb.query(OWNER, "SELECT * FROM "
                    + duckdb.engine().dialect().relation(node.relation().schema(), node.relation().identifier()), RowCanon::read);
            List<String> sparkRows = spark.query(OWNER, "SELECT * FROM "
                    + spark.engine().dialect().relation(node.relation().schema(), node.relation().identifier()), RowCanon::read);
            if (!sparkRows.equals(duckRows)) {
                List<String> onlyDuck = duckRows.stream().filter(r -> !sparkRows.contains(r)).limit(3).toList();
                List<String> onlySpark = sparkRows.stream().filter(r -> !duckRows.contains(r)).limit(3).toList();
                differences.add(node.name() + ":\n  duckdb " + onlyDuck + "\n  spark  " + onlySpark);
            }
        }
        return differences;
    }

    /** The statuses of every node (tests with their failure counts), and the relations built. */
    private record Built(List<NodeInfo> relations, Map<String, String> statuses) {
    }

    private static Built build(Warehouse warehouse, Path targetDir, Clock clock, Selection selection) {
        // The clock stands still for the comparison, so wall time per node is taken here, for the log.
        Map<String, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Long> millis = new java.util.concurrent.ConcurrentHashMap<>();
        RunListener timing = new RunListener() {
            @Override
            public void nodeStarted(NodeInfo node, int index, int total) {
                startedAt.put(node.uniqueId(), System.nanoTime());
            }

            @Override
            public void nodeFinished(NodeResult result, int index, int total) {
                Long start = startedAt.get(result.node().uniqueId());
                if (start != null) {
                    millis.put(result.node().name(), (System.nanoTime() - start) / 1_000_000);
                }
            }
        };
        try (Soma soma = Soma.builder().project(MODELS).warehouse(warehouse).threads(2).targetDir(targetDir).clock(clock)
                .listener(timing).build()) {
            RunResult result = soma.build(selection);
            System.out.println("[BundledProjectIT] " + warehouse.engine().name() + ": slowest nodes (ms) "
                    + millis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            Map<String, String> statuses = new TreeMap<>();
            for (NodeResult node : result.results()) {
                statuses.put(node.node().uniqueId(), node.status() + (node.status().name().matches("SUCCESS|PASS|SKIPPED")
                        ? "" : " (" + node.failures() + " failing)"));
            }
            List<NodeResult> errors = result.results().stream().filter(r -> r.error() != null).toList();
            assertThat(errors).as(() -> "errors on " + warehouse.engine().name() + ":\n" + errors.stream()
                    .map(r -> r.node().name() + ": " + r.message()).collect(Collectors.joining("\n"))).isEmpty();
            List<NodeInfo> relations = soma.list(selection).stream()
                    .filter(n -> n.resourceType() == ResourceType.SNAPSHOT
                            || n.resourceType() == ResourceType.MODEL && !"ephemeral".equals(n.materialized()))
                    .filter(n -> result.results().stream().anyMatch(r -> r.node().uniqueId().equals(n.uniqueId())
                            && r.status().name().equals("SUCCESS")))
                    .toList();
            return new Built(relations, statuses);
        }
    }

    /** A clock the test moves: both engines build at the same instants. */
    private static final class SettableClock extends Clock {

        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
