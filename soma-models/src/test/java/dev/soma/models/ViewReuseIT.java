package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views built in batches of one transaction, and views kept when nothing they are built from changed:
 * what is kept, what is created again (its SQL, a parent view, the columns of a table it reads), and that a
 * failure inside a batch is reported for its own node only.
 */
class ViewReuseIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");
    private static final String KEPT = "VIEW unchanged (kept: same SQL, same input columns)";

    @TempDir
    Path dir;

    /** a reads raw.books; b reads a (select *); c reads b; d reads raw.sales; e is a table reading a; f reads e. */
    private ProjectFixture project() {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/a.sql", "select * from ${source('raw', 'books')}")
                .file("staging/b.sql", "select * from ${ref('a')}")
                .file("staging/c.sql", "select book_id, title from ${ref('b')}")
                .file("staging/d.sql", "select book_id, quantity from ${source('raw', 'sales')}")
                .file("marts/e.sql", "select book_id, price from ${ref('a')}")
                .file("staging/f.sql", "select * from ${ref('e')}");
    }

    private static RunResult run(ProjectFixture fixture, Warehouse warehouse, int threads, boolean fullRefresh) {
        try (Soma soma = fixture.soma(warehouse).threads(threads).fullRefresh(fullRefresh).build()) {
            return soma.run(Selection.all());
        }
    }

    private static String message(RunResult result, String name) {
        return result.result(name).message();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aSecondRunKeepsEveryViewAndReportsItAsSuccess(int threads) {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            RunResult first = run(project(), warehouse, threads, false);
            assertThat(first.isSuccess()).as(first.failures().toString()).isTrue();
            assertThat(first.results()).filteredOn(r -> !r.name().equals("e")).extracting(NodeResult::message)
                    .containsOnly("CREATE VIEW");

            RunResult second = run(project(), warehouse, threads, false);
            assertThat(second.isSuccess()).isTrue();
            assertThat(second.results()).hasSize(6).extracting(NodeResult::status).containsOnly(NodeStatus.SUCCESS);
            // a, b, c, d read nothing rebuilt: kept. e is a table, rebuilt; f reads its columns, unchanged: kept.
            for (String view : new String[]{"a", "b", "c", "d", "f"}) {
                assertThat(message(second, view)).as(view).isEqualTo(KEPT);
            }
            assertThat(message(second, "e")).startsWith("CREATE TABLE");
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM staging.c")).isEqualTo(10);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM staging.f")).isEqualTo(10);
        }
    }

    @Test
    void aChangedViewIsCreatedAgainAndSoAreTheViewsReadingIt() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            ProjectFixture fixture = project();
            run(fixture, warehouse, 1, false);
            fixture.file("staging/a.sql", "select *, price * 2 as double_price from ${source('raw', 'books')}");
            RunResult second = run(fixture, warehouse, 1, false);
            assertThat(second.isSuccess()).as(second.failures().toString()).isTrue();
            assertThat(message(second, "a")).isEqualTo("CREATE VIEW");
            assertThat(message(second, "b")).isEqualTo("CREATE VIEW"); // select * over a: one more column
            assertThat(message(second, "c")).isEqualTo("CREATE VIEW"); // its parent b was created again
            assertThat(message(second, "d")).isEqualTo(KEPT);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM information_schema.columns "
                    + "WHERE table_schema = 'staging' AND table_name = 'b' AND column_name = 'double_price'")).isOne();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM staging.c")).isEqualTo(10);
        }
    }

    @Test
    void aSourceWhoseColumnsChangedMakesItsViewsBeCreatedAgain() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            ProjectFixture fixture = project();
            run(fixture, warehouse, 1, false);
            // The loader replaces raw.books with another type for price: the views bound to the old one would
            // fail ("contents of view were altered") if kept.
            warehouse.execute(CHECK, "CREATE OR REPLACE TABLE raw.books AS SELECT book_id, title, price::VARCHAR AS price,"
                    + " 1 AS edition FROM raw.books");
            RunResult second = run(fixture, warehouse, 1, false);
            assertThat(second.isSuccess()).as(second.failures().toString()).isTrue();
            assertThat(message(second, "a")).isEqualTo("CREATE VIEW");
            assertThat(message(second, "b")).isEqualTo("CREATE VIEW");
            assertThat(message(second, "c")).isEqualTo("CREATE VIEW");
            assertThat(message(second, "d")).isEqualTo(KEPT);
            assertThat(message(second, "f")).isEqualTo("CREATE VIEW"); // e's price is a VARCHAR now
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM staging.b WHERE edition = 1")).isEqualTo(10);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM staging.f WHERE price LIKE '%.%'")).isEqualTo(10);
        }
    }

    @Test
    void aViewDroppedByHandOrAFullRefreshIsCreatedAgain() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            ProjectFixture fixture = project();
            run(fixture, warehouse, 1, false);
            warehouse.execute(CHECK, "DROP VIEW staging.c");
            RunResult second = run(fixture, warehouse, 1, false);
            assertThat(message(second, "c")).isEqualTo("CREATE VIEW");
            assertThat(message(second, "b")).isEqualTo(KEPT);

            RunResult full = run(fixture, warehouse, 1, true);
            assertThat(full.isSuccess()).isTrue();
            assertThat(full.results()).filteredOn(r -> !r.name().equals("e")).extracting(NodeResult::message)
                    .containsOnly("CREATE VIEW");
        }
    }

    @Test
    void aViewFailingInsideABatchFailsAloneAndTheOthersAreBuilt() throws Exception {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            ProjectFixture fixture = project().file("staging/b.sql", "select no_such_column from ${ref('a')}");
            RunResult result = run(fixture, warehouse, 1, false);
            assertThat(result.result("a").status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(result.result("b").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(result.result("b").message()).contains("no_such_column");
            assertThat(result.result("c").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(result.result("d").status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(result.results()).hasSize(6);
            assertThat(warehouse.relationType("staging", "a")).isEqualTo("view");
            assertThat(warehouse.relationType("staging", "d")).isEqualTo("view");
            assertThat(warehouse.relationExists("staging", "b")).isFalse();
            assertThat(warehouse.relationExists("staging", "c")).isFalse();
            // Each node once in run_results.json, and once in the run store.
            String runResults = Files.readString(dir.resolve("project/target/run_results.json"));
            assertThat(runResults.split("\"unique_id\" ?: ?\"model.fixture.a\"", -1)).hasSize(2);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.node_results WHERE run_id = '"
                    + result.runId() + "'")).isEqualTo(6);

            // Fixed: b and c are built; a and d, built in the batch that was rolled back and then alone, kept.
            fixture.file("staging/b.sql", "select * from ${ref('a')}");
            RunResult second = run(fixture, warehouse, 1, false);
            assertThat(second.isSuccess()).as(second.failures().toString()).isTrue();
            assertThat(message(second, "a")).isEqualTo(KEPT);
            assertThat(message(second, "b")).isEqualTo("CREATE VIEW");
            assertThat(message(second, "c")).isEqualTo("CREATE VIEW");
        }
    }
}
