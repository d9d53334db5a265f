package dev.soma.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dbt's {@code incremental_strategy: insert_overwrite} with {@code partition_by}, on a real DuckDB. */
class InsertOverwriteIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    /** A model over {@code app.sales} partitioned by {@code partitionBy} (YAML: a column or a list). */
    private ProjectFixture project(String partitionBy) {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", """
                        sources:
                          - name: app
                            schema: app
                            tables: [{name: sales}]
                        """)
                .file("marts/_marts.yml", """
                        models:
                          - name: daily_sales
                            config: {materialized: incremental, incremental_strategy: insert_overwrite, partition_by: %s}
                        """.formatted(partitionBy))
                .file("marts/daily_sales.sql", """
                        select day, region, item, loaded from ${source("app", "sales")}
                        <#if is_incremental()>
                        where loaded > (select max(loaded) from ${this})
                        </#if>
                        """);
    }

    private static void sales(Warehouse warehouse, String rows) {
        warehouse.createSchema("app");
        warehouse.execute(CHECK, "CREATE TABLE IF NOT EXISTS app.sales (day INTEGER, region VARCHAR, item VARCHAR, loaded INTEGER)");
        warehouse.execute(CHECK, "INSERT INTO app.sales VALUES " + rows);
    }

    private static String contents(Warehouse warehouse) {
        return warehouse.query(CHECK, "SELECT string_agg(coalesce(day::VARCHAR, 'null') || '/' || region || '=' || item, ','"
                + " ORDER BY day NULLS LAST, region, item) FROM analytics.daily_sales", rs -> rs.next() ? rs.getString(1) : null);
    }

    @Test
    void replacesThePartitionsTheBatchTouchesAndNoOthers() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            sales(warehouse, "(1, 'n', 'a', 1), (1, 's', 'b', 1), (2, 'n', 'c', 1), (2, 'n', 'd', 1), (NULL, 'n', 'e', 1)");
            try (Soma soma = project("day").soma(warehouse).build()) {
                assertThat(soma.run(Selection.all()).result("daily_sales").message()).isEqualTo("CREATE TABLE (5 rows)");
                // A late row of day 2 and of the NULL day: both partitions are rebuilt from the batch alone.
                sales(warehouse, "(2, 'n', 'c2', 2), (NULL, 's', 'f', 2)");
                RunResult second = soma.run(Selection.all());
                assertThat(second.isSuccess()).as(second.failures().toString()).isTrue();
                assertThat(second.result("daily_sales").message()).isEqualTo("INSERT OVERWRITE 2 partitions (2 rows)");
                assertThat(second.result("daily_sales").rowsAffected()).isEqualTo(2);
                assertThat(contents(warehouse)).isEqualTo("1/n=a,1/s=b,2/n=c2,null/s=f");
                assertThat(warehouse.relationExists("analytics", "daily_sales__soma_batch")).isFalse();

                RunResult empty = soma.run(Selection.all());
                assertThat(empty.result("daily_sales").message()).isEqualTo("INSERT OVERWRITE 0 partitions (0 rows)");
                assertThat(contents(warehouse)).isEqualTo("1/n=a,1/s=b,2/n=c2,null/s=f");
            }
        }
    }

    @Test
    void aListOfColumnsPartitionsByTheirCombination() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            sales(warehouse, "(1, 'n', 'a', 1), (1, 's', 'b', 1), (2, 'n', 'c', 1)");
            try (Soma soma = project("[day, region]").soma(warehouse).build()) {
                soma.run(Selection.all());
                sales(warehouse, "(1, 's', 'b2', 2), (1, NULL, 'x', 2)");
                RunResult second = soma.run(Selection.all());
                assertThat(second.result("daily_sales").message()).isEqualTo("INSERT OVERWRITE 2 partitions (2 rows)");
                String rows = warehouse.query(CHECK, "SELECT string_agg(day || '/' || coalesce(region, 'null') || '=' || item, ','"
                        + " ORDER BY day, region NULLS LAST, item) FROM analytics.daily_sales", rs -> rs.next() ? rs.getString(1) : null);
                assertThat(rows).isEqualTo("1/n=a,1/s=b2,1/null=x,2/n=c");
            }
        }
    }

    @Test
    void partitionByIsInTheManifestAsDbtWritesIt() throws IOException {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            sales(warehouse, "(1, 'n', 'a', 1)");
            try (Soma soma = project("[day, region]").soma(warehouse).build()) {
                soma.run(Selection.all());
                JsonNode manifest = new ObjectMapper().readTree(soma.targetDir().resolve("manifest.json").toFile());
                JsonNode config = manifest.path("nodes").path("model.fixture.daily_sales").path("config");
                assertThat(config.path("incremental_strategy").asText()).isEqualTo("insert_overwrite");
                assertThat(config.path("partition_by").toString()).isEqualTo("[\"day\",\"region\"]");
            }
        }
    }

    @Test
    void fullRefreshRebuildsTheWholeTable() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            sales(warehouse, "(1, 'n', 'a', 1), (2, 'n', 'c', 1)");
            ProjectFixture fixture = project("day");
            try (Soma soma = fixture.soma(warehouse).build()) {
                soma.run(Selection.all());
            }
            warehouse.execute(CHECK, "DELETE FROM app.sales WHERE day = 1");
            try (Soma soma = fixture.soma(warehouse).fullRefresh(true).build()) {
                RunResult refreshed = soma.run(Selection.all());
                assertThat(refreshed.result("daily_sales").message()).isEqualTo("CREATE TABLE (1 row)");
                assertThat(contents(warehouse)).isEqualTo("2/n=c");
            }
        }
    }

    @Test
    void withoutPartitionByTheErrorNamesTheFileAndTheFix() {
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("bad")).file("marts/m.sql",
                "<@config materialized=\"incremental\" incremental_strategy=\"insert_overwrite\"/>select 1 as day");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThatThrownBy(() -> fixture.soma(warehouse).build().close())
                    .isInstanceOf(ProjectException.class)
                    .hasMessage("marts/m.sql: model m uses incremental_strategy 'insert_overwrite', which needs a partition_by;"
                            + " add partition_by: <column> (or a list of columns) to its config");
        }
    }

    @Test
    void anUnknownStrategyListsInsertOverwrite() {
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("typo")).file("marts/m.sql",
                "<@config materialized=\"incremental\" incremental_strategy=\"insert_overwrit\"/>select 1 as day");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThatThrownBy(() -> fixture.soma(warehouse).build().close())
                    .isInstanceOf(ProjectException.class)
                    .hasMessage("marts/m.sql: model m has unknown incremental_strategy 'insert_overwrit' (did you mean"
                            + " 'insert_overwrite'?); use one of append, merge, delete+insert, insert_overwrite");
        }
    }
}
