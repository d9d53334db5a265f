package dev.soma.generator;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Re-running into a database with raw tables: refuse, or replace all five at once. */
class ReplacementTest {

    private static final GenerationConfig FIRST = GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30)).withScale(5);
    private static final GenerationConfig SECOND = FIRST.withSeed(7).withReplace(true);

    @Test
    void refusesWithoutReplaceNamingTheTablesAndTheFlag(@TempDir Path dir) {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("soma.duckdb"))) {
            Generator.with(FIRST).generate(warehouse);
            warehouse.execute(SqlOwner.soma("test"), "DROP TABLE raw.inventory");
            Map<RawTable, String> before = Fingerprints.of(warehouse);
            assertThatThrownBy(() -> Generator.with(FIRST.withSeed(7)).generate(warehouse))
                    .isInstanceOfSatisfying(RawTablesExistException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.WOULD_OVERWRITE);
                        assertThat(e.tables()).containsExactly("raw.books", "raw.publishers", "raw.sales", "raw.campaign_events");
                        assertThat(e.getMessage()).isEqualTo("database " + dir.resolve("soma.duckdb").toAbsolutePath()
                                + " already has raw tables (raw.books, raw.publishers, raw.sales, raw.campaign_events);"
                                + " rerun with --replace to replace all five in one transaction"
                                + " (GenerationConfig.withReplace(true) from Java), or choose another database with --db");
                    });
            assertThat(Fingerprints.of(warehouse)).isEqualTo(before);
        }
    }

    @Test
    void replaceSwapsAllFiveAndLeavesOtherRawTablesAlone() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Generator.with(FIRST).generate(warehouse);
            Map<RawTable, String> first = Fingerprints.of(warehouse);
            warehouse.execute(SqlOwner.soma("test"), "CREATE TABLE raw.customers AS SELECT 1 AS id");
            warehouse.execute(SqlOwner.soma("test"), "DROP TABLE raw.sales; CREATE VIEW raw.sales AS SELECT 1 AS x");
            Generator.with(SECOND).generate(warehouse);
            Map<RawTable, String> second = Fingerprints.of(warehouse);
            for (RawTable table : RawTable.values()) {
                assertThat(second.get(table)).as(table.name()).isNotEqualTo(first.get(table));
            }
            assertThat(warehouse.relationType("raw", "sales")).isEqualTo("table");
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM raw.customers")).isEqualTo(1);
        }
    }

    @Test
    void aFailureMidwayLeavesThePreviousFiveTablesIntact(@TempDir Path dir) {
        Path file = dir.resolve("soma.duckdb");
        Map<RawTable, String> before;
        try (Warehouse warehouse = Warehouse.open(file)) {
            Generator.with(FIRST).generate(warehouse);
            before = Fingerprints.of(warehouse);
            GenerationListener failAfterSales = new GenerationListener() {
                @Override
                public void tableFinished(RawTable table, long rows, Duration took) {
                    if (table == RawTable.SALES) {
                        throw new IllegalStateException("disk full (simulated)");
                    }
                }
            };
            assertThatThrownBy(() -> Generator.with(SECOND).listener(failAfterSales).generate(warehouse))
                    .hasMessageContaining("disk full (simulated)");
            assertThat(Fingerprints.of(warehouse)).isEqualTo(before);
            // the staging tables are dropped and the generation's session is gone: nothing is left behind
            assertThat(warehouse.queryLong(SqlOwner.soma("test"),
                    "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'soma_gen%' OR table_name LIKE '_soma_next%'")).isZero();
        }
        try (Warehouse reopened = Warehouse.open(file)) {
            assertThat(Fingerprints.of(reopened)).isEqualTo(before);
        }
    }

    @Test
    void readersSeeThePreviousTablesUntilTheCommit() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Generator.with(FIRST).generate(warehouse);
            Map<RawTable, String> before = Fingerprints.of(warehouse);
            GenerationListener peek = new GenerationListener() {
                @Override
                public void tableFinished(RawTable table, long rows, Duration took) {
                    if (table == RawTable.PUBLISHERS) {
                        // the generator's transaction is on its own session; this one sees the old tables
                        assertThat(Fingerprints.of(warehouse)).isEqualTo(before);
                    }
                }
            };
            Generator.with(SECOND).listener(peek).generate(warehouse);
            assertThat(Fingerprints.of(warehouse)).isNotEqualTo(before);
        }
    }
}
