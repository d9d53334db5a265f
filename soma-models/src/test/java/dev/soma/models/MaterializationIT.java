package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ModelExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every materialization, end to end on a real DuckDB. */
class MaterializationIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    private ProjectFixture project() {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_books.sql", "select book_id, upper(title) as title, price from ${source(\"raw\", \"books\")}")
                .file("staging/stg_sales.sql", "select * from ${source('raw', 'sales')}")
                .file("marts/book_sales.sql", """
                        -- a table from a view and an ephemeral model
                        select b.book_id, b.title, s.units
                        from ${ref("stg_books")} b
                        join ${ref("sales_per_book")} s using (book_id)
                        """)
                .file("marts/sales_per_book.sql", """
                        <@config materialized="ephemeral"/>
                        select book_id, sum(quantity) as units from ${ref("stg_sales")} group by book_id
                        """);
    }

    @Test
    void buildsViewsTablesAndInlinesEphemeralModels() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = project().soma(warehouse).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                assertThat(result.results()).extracting(r -> r.name())
                        .containsExactlyInAnyOrder("stg_books", "stg_sales", "book_sales");
                assertThat(warehouse.relationType("staging", "stg_books")).isEqualTo("view");
                assertThat(warehouse.relationType("analytics", "book_sales")).isEqualTo("table");
                assertThat(warehouse.relationExists("analytics", "sales_per_book")).isFalse();
                assertThat(warehouse.queryLong(CHECK, "SELECT sum(units) FROM analytics.book_sales"))
                        .isEqualTo(warehouse.queryLong(CHECK, "SELECT sum(quantity) FROM raw.sales"));
                assertThat(result.result("book_sales").rowsAffected()).isEqualTo(10);
                assertThat(result.result("book_sales").message()).isEqualTo("CREATE TABLE (10 rows)");
                Path compiled = soma.targetDir().resolve("compiled/marts/book_sales.sql");
                assertThat(compiled).exists();
                assertThat(result.result("book_sales").compiledPath()).isEqualTo(compiled);
                assertThat(soma.targetDir().resolve("manifest.json")).exists();
                assertThat(soma.targetDir().resolve("run_results.json")).exists();
            }
        }
    }

    @Test
    void aFailingRebuildLeavesTheOldTableIntact() throws Exception {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture.rawTables(warehouse);
            ProjectFixture fixture = project();
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
            }
            fixture.file("marts/book_sales.sql", """
                    select book_id, title, units, error('boom: rebuild failed halfway') as broken
                    from ${ref("stg_books")} join ${ref("sales_per_book")} using (book_id)
                    """);
            try (Soma soma = fixture.soma(warehouse).build()) {
                RunResult result = soma.run(Selection.of("book_sales"));
                assertThat(result.result("book_sales").status()).isEqualTo(NodeStatus.ERROR);
                assertThat(result.result("book_sales").error()).isInstanceOfSatisfying(ModelExecutionException.class, e -> {
                    assertThat(e.model()).isEqualTo("book_sales");
                    assertThat(e.compiledSqlPath()).isEqualTo(soma.targetDir().resolve("compiled/marts/book_sales.sql"));
                    assertThat(e.getMessage()).startsWith("model book_sales: DuckDB error: ")
                            .contains("boom: rebuild failed halfway")
                            .contains("compiled SQL: " + e.compiledSqlPath());
                });
            }
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.book_sales")).isEqualTo(10);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM information_schema.columns "
                    + "WHERE table_name = 'book_sales' AND column_name = 'broken'")).isZero();
            assertThat(warehouse.relationExists("analytics", "book_sales__soma_tmp")).isFalse();
        }
    }

    @Test
    void switchesBetweenViewAndTable() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            ProjectFixture fixture = project();
            try (Soma soma = fixture.soma(warehouse).build()) {
                soma.run(Selection.all());
            }
            fixture.file("staging/stg_books.sql", "<@config materialized=\"table\"/>\nselect * from ${source('raw', 'books')}");
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.run(Selection.of("stg_books")).isSuccess()).isTrue();
                assertThat(warehouse.relationType("staging", "stg_books")).isEqualTo("table");
            }
            fixture.file("staging/stg_books.sql", "select * from ${source('raw', 'books')}");
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.run(Selection.of("stg_books")).isSuccess()).isTrue();
                assertThat(warehouse.relationType("staging", "stg_books")).isEqualTo("view");
            }
        }
    }

    private ProjectFixture incremental(String strategy) {
        return ProjectFixture.in(dir.resolve("inc-" + strategy))
                .file("sources.yml", """
                        sources:
                          - name: app
                            schema: app
                            tables: [{name: events}]
                        """)
                .file("marts/events.sql", """
                        <@config materialized="incremental" unique_key="id" incremental_strategy="%s"/>
                        select id, payload, updated_at from ${source("app", "events")}
                        <#if is_incremental()>
                        where updated_at > (select max(updated_at) from ${this})
                        </#if>
                        """.formatted(strategy));
    }

    private static void events(Warehouse warehouse, String rows) {
        warehouse.createSchema("app");
        warehouse.execute(CHECK, "CREATE OR REPLACE TABLE app.events (id INTEGER, payload VARCHAR, updated_at INTEGER)");
        warehouse.execute(CHECK, "INSERT INTO app.events VALUES " + rows);
    }

    private static String contents(Warehouse warehouse) {
        return warehouse.query(CHECK, "SELECT string_agg(id || '=' || payload, ',' ORDER BY id, payload) FROM analytics.events",
                rs -> rs.next() ? rs.getString(1) : null);
    }

    @Test
    void incrementalMergeUpdatesAndInserts() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            events(warehouse, "(1, 'a', 1), (2, 'b', 1)");
            ProjectFixture fixture = incremental("merge");
            try (Soma soma = fixture.soma(warehouse).build()) {
                RunResult first = soma.run(Selection.all());
                assertThat(first.result("events").message()).isEqualTo("CREATE TABLE (2 rows)");
                warehouse.execute(CHECK, "INSERT INTO app.events VALUES (2, 'b2', 2), (3, 'c', 2)");
                RunResult second = soma.run(Selection.all());
                assertThat(second.result("events").message()).isEqualTo("MERGE (2 rows)");
                assertThat(contents(warehouse)).isEqualTo("1=a,2=b2,3=c");
                String compiled = readCompiled(soma, "marts/events.sql");
                assertThat(compiled).contains("where updated_at > (select max(updated_at) from \"analytics\".\"events\")");
            }
        }
    }

    @Test
    void incrementalAppendAddsRows() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            events(warehouse, "(1, 'a', 1)");
            ProjectFixture fixture = incremental("append");
            try (Soma soma = fixture.soma(warehouse).build()) {
                soma.run(Selection.all());
                warehouse.execute(CHECK, "INSERT INTO app.events VALUES (1, 'a2', 2)");
                RunResult second = soma.run(Selection.all());
                assertThat(second.result("events").rowsAffected()).isEqualTo(1);
                assertThat(contents(warehouse)).isEqualTo("1=a,1=a2");
            }
        }
    }

    @Test
    void incrementalDeleteInsertReplacesMatchingKeys() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            events(warehouse, "(1, 'a', 1), (2, 'b', 1)");
            ProjectFixture fixture = incremental("delete+insert");
            try (Soma soma = fixture.soma(warehouse).build()) {
                soma.run(Selection.all());
                warehouse.execute(CHECK, "INSERT INTO app.events VALUES (1, 'a2', 2), (4, 'd', 2)");
                RunResult second = soma.run(Selection.all());
                assertThat(second.result("events").message()).isEqualTo("DELETE+INSERT (2 rows)");
                assertThat(contents(warehouse)).isEqualTo("1=a2,2=b,4=d");
                assertThat(warehouse.relationExists("analytics", "events__soma_batch")).isFalse();
            }
        }
    }

    @Test
    void fullRefreshRebuildsAnIncrementalModel() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            events(warehouse, "(1, 'a', 1)");
            ProjectFixture fixture = incremental("append");
            try (Soma soma = fixture.soma(warehouse).build()) {
                soma.run(Selection.all());
                soma.run(Selection.all());
            }
            warehouse.execute(CHECK, "DELETE FROM app.events");
            warehouse.execute(CHECK, "INSERT INTO app.events VALUES (9, 'z', 1)");
            try (Soma soma = fixture.soma(warehouse).fullRefresh(true).build()) {
                RunResult refreshed = soma.run(Selection.all());
                assertThat(refreshed.result("events").message()).isEqualTo("CREATE TABLE (1 row)");
                assertThat(contents(warehouse)).isEqualTo("9=z");
            }
        }
    }

    @Test
    void seedsLoadWithDuckDbsCsvReaderAndColumnTypes() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture fixture = ProjectFixture.in(dir.resolve("seeds"))
                    .file("seeds/regions.csv", "code,name,population\n01,North,100\n02,South,250\n")
                    .file("seeds/_seeds.yml", """
                            seeds:
                              - name: regions
                                config: {schema: reference, column_types: {code: VARCHAR}}
                            """)
                    .file("marts/region_report.sql", "select code, name from ${ref('regions')} where population > 150");
            try (Soma soma = fixture.soma(warehouse).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                assertThat(result.result("regions").rowsAffected()).isEqualTo(2);
                String code = warehouse.query(CHECK, "SELECT code FROM analytics.region_report", rs -> {
                    rs.next();
                    return rs.getString(1);
                });
                assertThat(code).isEqualTo("02");
            }
        }
    }

    @Test
    void hooksRunAroundModelsAndRuns() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            warehouse.execute(CHECK, "CREATE TABLE main.audit (event VARCHAR)");
            ProjectFixture fixture = ProjectFixture.in(dir.resolve("hooks"))
                    .file("soma_project.yml", """
                            name: hooks
                            on_run_start: "insert into main.audit values ('run start')"
                            on_run_end: ["insert into main.audit values ('run end')"]
                            models:
                              materialized: table
                            """)
                    .file("sources.yml", ProjectFixture.SOURCES)
                    .file("books.sql", """
                            <@config pre_hook="insert into main.audit values ('before ${this}')"
                                     post_hook=["insert into main.audit select 'after ' || count(*) from ${this}"]/>
                            select * from ${source('raw', 'books')}
                            """);
            try (Soma soma = fixture.soma(warehouse).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
            }
            String audit = warehouse.query(CHECK, "SELECT string_agg(event, ' | ') FROM main.audit",
                    rs -> rs.next() ? rs.getString(1) : null);
            assertThat(audit).isEqualTo("run start | before \"main\".\"books\" | after 10 | run end");
        }
    }

    private static String readCompiled(Soma soma, String path) {
        try {
            return Files.readString(soma.targetDir().resolve("compiled").resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
