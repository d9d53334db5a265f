package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.ProjectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots (dbt's SCD type 2) end to end, with dbt's documented behaviour as the oracle: meta column
 * names, which versions close and when, {@code dbt_scd_id}'s hash, hard deletes, dbt_valid_to_current.
 */
class SnapshotIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-02T00:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-03T00:00:00Z");

    private static final String BY_BOOK_TIMESTAMP = "unique_key: book_id\nstrategy: timestamp\nupdated_at: updated_at\n";
    private static final String BY_BOOK_CHECK_ALL = "unique_key: book_id\nstrategy: check\ncheck_cols: all\n";

    @TempDir
    Path dir;

    private static void raw(Warehouse warehouse) {
        warehouse.createSchema("raw");
        warehouse.execute(CHECK, """
                CREATE OR REPLACE TABLE raw.prices AS
                SELECT * FROM (VALUES ('B1', 'EU', 10.0, TIMESTAMP '2025-01-01'), ('B2', 'EU', 20.0, TIMESTAMP '2025-01-01'),
                                      ('B3', 'US', 30.0, TIMESTAMP '2025-01-01')) t(book_id, region, price, updated_at)
                """);
    }

    /** A warehouse (a file) with raw.prices loaded. */
    private Warehouse withPrices() {
        Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"));
        raw(warehouse);
        return warehouse;
    }

    /** A warehouse with raw.prices, snapshotted once at T1. */
    private Warehouse snapshottedAtT1(ProjectFixture project) {
        Warehouse warehouse = withPrices();
        try {
            snapshotAt(project, warehouse, T1);
            return warehouse;
        } catch (RuntimeException | Error e) {
            warehouse.close();
            throw e;
        }
    }

    private ProjectFixture project(String config) {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", """
                        sources:
                          - name: raw
                            tables:
                              - name: prices
                        """)
                .file("snapshots/_snapshots.yml", """
                        snapshots:
                          - name: prices_snapshot
                            description: Every price a book has had.
                            relation: source('raw', 'prices')
                            config:
                        """ + config.indent(6));
    }

    private RunResult snapshotAt(ProjectFixture project, Warehouse warehouse, Instant at) {
        try (Soma soma = project.soma(warehouse).clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
            RunResult result = soma.snapshot(Selection.all());
            assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
            return result;
        }
    }

    private static List<String> rows(Warehouse warehouse, String sql) {
        return warehouse.queryList(CHECK, sql, rs -> {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.append(i == 1 ? "" : " | ").append(rs.getString(i));
            }
            // JDBC prints a whole-second timestamp with ".0"; DuckDB's own text has none
            return row.toString().replaceAll("(\\d\\d:\\d\\d:\\d\\d)\\.0\\b", "$1");
        });
    }

    @Test
    void timestampStrategyClosesTheOldVersionAtTheNewUpdatedAt() {
        ProjectFixture project = project("""
                schema: snapshots
                unique_key: book_id
                strategy: timestamp
                updated_at: updated_at
                """);
        try (Warehouse warehouse = withPrices()) {
            RunResult first = snapshotAt(project, warehouse, T1);
            assertThat(first.result("prices_snapshot").message()).isEqualTo("CREATE SNAPSHOT (3 rows)");
            assertThat(rows(warehouse, "SELECT column_name FROM information_schema.columns WHERE table_name = 'prices_snapshot' "
                    + "ORDER BY ordinal_position")).containsExactly("book_id", "region", "price", "updated_at",
                    "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to");
            // dbt's hash: md5 of the key and updated_at, cast to varchar, joined by '|'
            assertThat(rows(warehouse, "SELECT count(*) FROM snapshots.prices_snapshot WHERE dbt_valid_to IS NULL "
                    + "AND dbt_valid_from = updated_at AND dbt_updated_at = updated_at "
                    + "AND dbt_scd_id = md5(book_id || '|' || cast(updated_at AS VARCHAR))")).containsExactly("3");

            RunResult unchanged = snapshotAt(project, warehouse, T2);
            assertThat(unchanged.result("prices_snapshot").rowsAffected()).isZero();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM snapshots.prices_snapshot")).isEqualTo(3);

            warehouse.execute(CHECK, "UPDATE raw.prices SET price = 12.0, updated_at = TIMESTAMP '2025-06-01' WHERE book_id = 'B1'");
            RunResult changed = snapshotAt(project, warehouse, T3);
            assertThat(changed.result("prices_snapshot").message()).isEqualTo("SNAPSHOT, 1 version closed (1 row)");
            assertThat(rows(warehouse, "SELECT price, dbt_valid_from, dbt_valid_to FROM snapshots.prices_snapshot "
                    + "WHERE book_id = 'B1' ORDER BY dbt_valid_from")).containsExactly(
                    "10.0 | 2025-01-01 00:00:00 | 2025-06-01 00:00:00", "12.0 | 2025-06-01 00:00:00 | null");
        }
    }

    @Test
    void checkStrategyComparesCheckColsAndTimesVersionsByTheRun() {
        ProjectFixture project = project("""
                unique_key: book_id
                strategy: check
                check_cols: [price]
                """);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            // region is not checked: no new version
            warehouse.execute(CHECK, "UPDATE raw.prices SET region = 'UK' WHERE book_id = 'B2'");
            assertThat(snapshotAt(project, warehouse, T2).result("prices_snapshot").rowsAffected()).isZero();
            warehouse.execute(CHECK, "UPDATE raw.prices SET price = NULL WHERE book_id = 'B3'");
            snapshotAt(project, warehouse, T3);
            assertThat(rows(warehouse, "SELECT price, dbt_valid_from, dbt_valid_to FROM main.prices_snapshot "
                    + "WHERE book_id = 'B3' ORDER BY dbt_valid_from")).containsExactly(
                    "30.0 | 2026-01-01 00:00:00 | 2026-01-03 00:00:00", "null | 2026-01-03 00:00:00 | null");
        }
    }

    @Test
    void checkAllSeesANewColumnAsAChangeAndAddsIt() {
        ProjectFixture project = project(BY_BOOK_CHECK_ALL);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            warehouse.execute(CHECK, "UPDATE raw.prices SET region = 'UK' WHERE book_id = 'B2'");
            assertThat(snapshotAt(project, warehouse, T2).result("prices_snapshot").rowsAffected()).isEqualTo(1);
            warehouse.execute(CHECK, "ALTER TABLE raw.prices ADD COLUMN format VARCHAR DEFAULT 'paper'");
            assertThat(snapshotAt(project, warehouse, T3).result("prices_snapshot").rowsAffected()).isEqualTo(3);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.prices_snapshot WHERE dbt_valid_to IS NULL "
                    + "AND format = 'paper'")).isEqualTo(3);
        }
    }

    @Test
    void hardDeletesInvalidateClosesARowWhoseKeyLeft() {
        ProjectFixture project = project(BY_BOOK_TIMESTAMP + """
                hard_deletes: invalidate
                """);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            warehouse.execute(CHECK, "DELETE FROM raw.prices WHERE book_id = 'B2'");
            snapshotAt(project, warehouse, T2);
            assertThat(rows(warehouse, "SELECT book_id, dbt_valid_to FROM main.prices_snapshot WHERE dbt_valid_to IS NOT NULL"))
                    .containsExactly("B2 | 2026-01-02 00:00:00");
            // a second run closes nothing more
            assertThat(snapshotAt(project, warehouse, T3).result("prices_snapshot").message()).startsWith("SNAPSHOT, 0 versions closed");
        }
    }

    @Test
    void hardDeletesIgnoreKeepsTheRowCurrent() {
        ProjectFixture project = project(BY_BOOK_TIMESTAMP);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            warehouse.execute(CHECK, "DELETE FROM raw.prices WHERE book_id = 'B2'");
            snapshotAt(project, warehouse, T2);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.prices_snapshot WHERE dbt_valid_to IS NULL")).isEqualTo(3);
        }
    }

    @Test
    void hardDeletesNewRecordMarksTheDeletionAndTheReturn() {
        ProjectFixture project = project(BY_BOOK_TIMESTAMP + """
                hard_deletes: new_record
                """);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.prices_snapshot WHERE dbt_is_deleted = 'False'"))
                    .isEqualTo(3);
            warehouse.execute(CHECK, "DELETE FROM raw.prices WHERE book_id = 'B2'");
            snapshotAt(project, warehouse, T2);
            snapshotAt(project, warehouse, T2.plusSeconds(60)); // deleted twice is recorded once
            warehouse.execute(CHECK, "INSERT INTO raw.prices VALUES ('B2', 'EU', 25.0, TIMESTAMP '2026-01-02 12:00:00')");
            snapshotAt(project, warehouse, T3);
            assertThat(rows(warehouse, "SELECT price, dbt_is_deleted, dbt_valid_from, dbt_valid_to FROM main.prices_snapshot "
                    + "WHERE book_id = 'B2' ORDER BY dbt_valid_from")).containsExactly(
                    "20.0 | False | 2025-01-01 00:00:00 | 2026-01-02 00:00:00",
                    "20.0 | True | 2026-01-02 00:00:00 | 2026-01-02 12:00:00",
                    "25.0 | False | 2026-01-02 12:00:00 | null");
        }
    }

    @Test
    void validToCurrentAndACompositeKey() {
        ProjectFixture project = project("""
                unique_key: [book_id, region]
                strategy: timestamp
                updated_at: updated_at
                dbt_valid_to_current: "TIMESTAMP '9999-12-31'"
                """);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.prices_snapshot "
                    + "WHERE dbt_valid_to = TIMESTAMP '9999-12-31'")).isEqualTo(3);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM main.prices_snapshot "
                    + "WHERE dbt_scd_id = md5(book_id || '|' || region || '|' || cast(updated_at AS VARCHAR))")).isEqualTo(3);
            warehouse.execute(CHECK, "UPDATE raw.prices SET price = 31, updated_at = TIMESTAMP '2025-02-01' WHERE book_id = 'B3'");
            snapshotAt(project, warehouse, T2);
            assertThat(rows(warehouse, "SELECT price, dbt_valid_to FROM main.prices_snapshot WHERE book_id = 'B3' "
                    + "ORDER BY dbt_valid_from")).containsExactly("30.0 | 2025-02-01 00:00:00", "31.0 | 9999-12-31 00:00:00");
        }
    }

    @Test
    void buildRunsSnapshotsInGraphOrderAndModelsRefThem() throws Exception {
        ProjectFixture project = project(BY_BOOK_CHECK_ALL)
                .file("marts/price_history.sql", """
                        select book_id, count(*) as versions from ${ref("prices_snapshot")} group by book_id
                        """);
        try (Warehouse warehouse = withPrices()) {
            try (Soma soma = project.soma(warehouse).build()) {
                assertThat(soma.run(Selection.all()).results()).extracting(r -> r.name()).doesNotContain("prices_snapshot");
            }
            warehouse.execute(CHECK, "DROP TABLE IF EXISTS analytics.price_history");
            try (Soma soma = project.soma(warehouse).build()) {
                RunResult built = soma.build(Selection.of("resource_type:snapshot+"));
                assertThat(built.isSuccess()).as(built.failures().toString()).isTrue();
                assertThat(built.results()).extracting(r -> r.name()).containsExactly("prices_snapshot", "price_history");
                assertThat(built.result("prices_snapshot").node().uniqueId()).isEqualTo("snapshot.fixture.prices_snapshot");
                String manifest = Files.readString(soma.targetDir().resolve("manifest.json")).replaceAll("\\s", "");
                assertThat(manifest).contains("\"snapshot.fixture.prices_snapshot\"", "\"resource_type\":\"snapshot\"",
                        "\"strategy\":\"check\"");
                assertThat(Files.readString(soma.targetDir().resolve("run_results.json")).replaceAll("\\s", ""))
                        .contains("\"unique_id\":\"snapshot.fixture.prices_snapshot\"");
                assertThat(soma.snapshot(Selection.of("price_history")).results()).isEmpty();
            }
            assertThat(warehouse.queryLong(CHECK, "SELECT sum(versions) FROM analytics.price_history")).isEqualTo(3);
        }
    }

    @Test
    void aFailingStatementMidSnapshotLeavesThePreviousSnapshot() {
        ProjectFixture project = project(BY_BOOK_CHECK_ALL);
        try (Warehouse warehouse = snapshottedAtT1(project)) {
            // price becomes text: the closes apply, then inserting 'n/a' into the DOUBLE column fails
            warehouse.execute(CHECK, "ALTER TABLE raw.prices ALTER price TYPE VARCHAR; UPDATE raw.prices SET price = 'n/a'");
            try (Soma soma = project.soma(warehouse).clock(Clock.fixed(T2, ZoneOffset.UTC)).build()) {
                RunResult failed = soma.snapshot(Selection.all());
                assertThat(failed.result("prices_snapshot").status()).isEqualTo(NodeStatus.ERROR);
                assertThat(failed.result("prices_snapshot").error()).isInstanceOf(ModelExecutionException.class);
                assertThat(failed.result("prices_snapshot").message()).contains("prices_snapshot", "snapshots/_snapshots.yml:2");
            }
            assertThat(rows(warehouse, "SELECT count(*), count(dbt_valid_to) FROM main.prices_snapshot")).containsExactly("3 | 0");
        }
    }

    @Test
    void badSnapshotConfigIsOneMessageWithFileAndLine() {
        assertBad("""
                unique_key: book_id
                strategy: timestmp
                updated_at: updated_at
                """, 7, "unknown strategy 'timestmp'", "did you mean 'timestamp'");
        assertBad("""
                unique_key: book_id
                strategy: timestamp
                """, 7, "uses strategy timestamp, which needs updated_at", "add updated_at");
        assertBad(BY_BOOK_CHECK_ALL + """
                hard_deletes: delete
                """, 9, "unknown hard_deletes 'delete'", "ignore, invalidate or new_record");
        assertBad("""
                strategy: check
                check_cols: all
                """, 2, "has no unique_key", "unique_key");
    }

    private void assertBad(String config, int line, String... words) {
        ProjectFixture project = project(config);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThatThrownBy(() -> project.soma(warehouse).build().close())
                    .isInstanceOfSatisfying(ProjectException.class, e -> {
                        assertThat(e.location().file()).isEqualTo("snapshots/_snapshots.yml");
                        assertThat(e.location().line()).isEqualTo(line);
                        assertThat(e.getMessage()).contains(words);
                    });
        }
    }
}
