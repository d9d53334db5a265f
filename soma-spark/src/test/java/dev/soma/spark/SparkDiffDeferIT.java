package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.DiffRequest;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code soma diff} and {@code --defer} are not carried over to Spark: both stop with one line saying so. */
class SparkDiffDeferIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @TempDir
    Path project;

    @Test
    void diffAndDeferNameTheLimitationInsteadOfFailingInSql() throws IOException {
        Warehouse warehouse = SharedSpark.warehouse();
        warehouse.createSchema("diff_raw");
        warehouse.execute(OWNER, "CREATE OR REPLACE TABLE iceberg.diff_raw.items USING iceberg AS SELECT * FROM VALUES (1), (2) AS t(id)");
        Files.writeString(project.resolve("soma_project.yml"), """
                name: diffs
                version: 1.0.0
                models:
                  marts: {materialized: table, schema: diff_marts}
                targets:
                  spark: {engine: spark, master: "local[2]"}
                default_target: spark
                """);
        Files.writeString(project.resolve("sources.yml"), """
                sources:
                  - name: raw
                    schema: diff_raw
                    tables:
                      - name: items
                """);
        Files.createDirectories(project.resolve("marts"));
        Files.writeString(project.resolve("marts/items.sql"), "select id from ${source(\"raw\", \"items\")}\n");
        Files.writeString(project.resolve("marts/doubled.sql"), "select id * 2 as id from ${ref(\"items\")}\n");
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).build()) {
            assertThat(soma.build(Selection.all()).failures()).isEmpty();
            assertThatThrownBy(() -> soma.diff(DiffRequest.of("items", DiffRequest.Side.current(),
                    DiffRequest.Side.relation("diff_raw.items"))))
                    .hasMessageContaining("soma diff does not run on a Spark target yet")
                    .hasMessageContaining("engine duckdb");
            Path state = soma.targetDir();
            try (Soma deferring = Soma.builder().project(project).warehouse(warehouse).state(state).defer(true).build()) {
                assertThatThrownBy(() -> deferring.run(Selection.of("doubled")))
                        .hasMessageContaining("--defer does not run on a Spark target yet");
            }
        } finally {
            warehouse.close();
        }
    }
}
