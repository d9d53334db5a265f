package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * dbt habits found by dbt's own test cases: generic-test arguments under {@code arguments:} (dbt 1.10+)
 * and config keys beside them (older), {@code --empty}, a source naming a seed's table, Jinja quoted in
 * a FreeMarker comment.
 */
class DbtHabitsIT {

    @TempDir
    Path dir;
    Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = Warehouse.inMemory();
        ProjectFixture.rawTables(warehouse);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static Map<String, NodeResult> byName(RunResult run) {
        return run.results().stream().collect(Collectors.toMap(NodeResult::name, Function.identity(), (a, b) -> a));
    }

    @Test
    void argumentsUnderArgumentsAndConfigBesideThemMeanWhatTheyMeanInDbt() {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_sales.sql", "select * from ${source(\"raw\", \"sales\")}")
                .file("tests/generic/at_most.sql", "select * from ${model} where ${column_name} > ${limit_value}")
                .file("staging/_staging.yml", """
                        models:
                          - name: stg_sales
                            columns:
                              - name: quantity
                                data_tests:
                                  - accepted_values:
                                      arguments: {values: [1, 2]}
                                      config: {severity: warn}
                                  - accepted_values:
                                      name: quantity_old_form
                                      values: [1, 2, 3]
                                      where: "quantity > 2"
                                  - at_most:
                                      arguments: {limit_value: 2}
                                      config: {where: "quantity < 3"}
                        """);
        try (Soma soma = fixture.soma(warehouse).build()) {
            Map<String, NodeResult> results = byName(soma.build(Selection.all()));
            NodeResult newForm = results.get("accepted_values_stg_sales_quantity");
            assertThat(newForm.status()).isEqualTo(NodeStatus.WARN);
            assertThat(newForm.failures()).isEqualTo(33); // quantity 3: i % 3 == 2 for 33 of 100 rows
            assertThat(results.get("quantity_old_form").status()).isEqualTo(NodeStatus.PASS);
            assertThat(results.get("at_most_stg_sales_quantity").status()).as(results.get("at_most_stg_sales_quantity")
                    .message()).isEqualTo(NodeStatus.PASS);
        }
        Throwable twice = catchThrowable(() -> fixture.file("staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns:
                      - name: quantity
                        data_tests:
                          - accepted_values: {values: [1], arguments: {values: [2]}}
                """).soma(warehouse).build().close());
        assertThat(twice).isInstanceOf(ProjectException.class)
                .hasMessageContaining("'values' is given both under arguments: and beside it");
    }

    @Test
    void emptyReadsZeroRowsFromEveryRefAndSource() throws Exception {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_books.sql", "select * from ${source(\"raw\", \"books\")} b")
                .file("marts/book_count.sql", "select count(*) as books from ${ref(\"stg_books\")}");
        try (Soma soma = fixture.soma(warehouse).empty(true).build()) {
            RunResult run = soma.run(Selection.all());
            assertThat(run.isSuccess()).isTrue();
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT books FROM analytics.book_count")).isZero();
            assertThat(Files.readString(soma.targetDir().resolve("compiled/staging/stg_books.sql")))
                    .contains("(select * from \"raw\".\"books\" where false limit 0) b");
        }
        try (Soma soma = fixture.soma(warehouse).build()) {
            soma.run(Selection.all());
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT books FROM analytics.book_count")).isEqualTo(10);
        }
    }

    @Test
    void aSourceMayNameTheTableASeedLoads() {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("seeds/countries.csv", "code,name\nFR,France\nDE,Germany\n")
                .file("sources.yml", """
                        sources:
                          - name: ref_data
                            schema: main
                            tables:
                              - name: countries
                        """)
                .file("staging/stg_countries.sql", "select * from ${source(\"ref_data\", \"countries\")}");
        try (Soma soma = fixture.soma(warehouse).build()) {
            RunResult run = soma.build(Selection.all());
            assertThat(run.isSuccess()).as(run.results().toString()).isTrue();
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM staging.stg_countries")).isEqualTo(2);
        }
    }

    @Test
    void jinjaInsideAFreeMarkerCommentIsNoMistake() {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_books.sql", """
                        <#-- ported from dbt: select * from {{ source('raw', 'books') }} -->
                        select * from ${source("raw", "books")}
                        """);
        try (Soma soma = fixture.soma(warehouse).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
        }
        Throwable outside = catchThrowable(() -> fixture.file("staging/stg_books.sql", """
                <#-- a comment -->
                select * from {{ source('raw', 'books') }}
                """).soma(warehouse).build().close());
        assertThat(outside).hasMessageContaining("this is Jinja");
    }
}
