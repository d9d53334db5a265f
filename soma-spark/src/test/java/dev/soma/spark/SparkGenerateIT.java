package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import dev.soma.generator.RawLanding;
import dev.soma.generator.RawTable;
import dev.soma.generator.RawTablesExistException;
import dev.soma.core.runstore.TableReplacements;
import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code soma generate --target spark} does, through the Java API it calls: the generator writes a
 * local DuckDB database, {@link RawLanding} carries each raw table to Iceberg through Parquet with the
 * engines' {@code copyToParquet}/{@code loadParquet}; the rows arrive unchanged, and each replacement is
 * recorded so incremental models over raw rebuild in full, as after a generate on DuckDB.
 */
class SparkGenerateIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @TempDir
    Path folder;

    @Test
    void landsEveryRawTableAsAnIcebergTableWithTheSameRows() {
        Warehouse spark = SharedSpark.warehouse();
        try (Warehouse local = Warehouse.open(folder.resolve("generated.duckdb"))) {
            Generator.with(GenerationConfig.defaults().withScale(0.5).withSeed(7).withAsOf(LocalDate.of(2025, 6, 30)))
                    .generate(local);

            Map<RawTable, Long> landed = RawLanding.land(local, spark, folder.resolve("parquet"), true);

            for (RawTable table : RawTable.values()) {
                String name = "raw." + table.tableName();
                assertThat(landed.get(table)).as(name).isEqualTo(local.queryLong(OWNER, "SELECT count(*) FROM " + name))
                        .isPositive();
                // The same rows: the first column's values, summed as text lengths and counted distinct.
                String column = table.columns().get(0).name();
                assertThat(spark.queryLong(OWNER, "SELECT count(DISTINCT " + column + ") FROM iceberg." + name))
                        .as(name).isEqualTo(local.queryLong(OWNER, "SELECT count(DISTINCT " + column + ") FROM " + name));
                assertThat(spark.queryLong(OWNER, "SELECT sum(length(CAST(" + column + " AS STRING))) FROM iceberg." + name))
                        .as(name).isEqualTo(local.queryLong(OWNER, "SELECT sum(length(CAST(" + column + " AS VARCHAR))) FROM " + name));
            }
            assertThat(spark.queryList(OWNER, "DESCRIBE TABLE iceberg.raw.sales", rs -> rs.getString(1) + " " + rs.getString(2)))
                    .contains("unit_price decimal(10,2)");

            assertThatThrownBy(() -> RawLanding.land(local, spark, folder.resolve("parquet"), false))
                    .isInstanceOf(RawTablesExistException.class)
                    .hasMessageContaining("raw.books")
                    .hasMessageContaining("--replace");
        } finally {
            spark.close();
        }
    }

    @Test
    void landingAgainMakesAnIncrementalModelOverRawRebuildInFull() throws IOException {
        Path project = folder.resolve("project");
        Files.createDirectories(project.resolve("marts"));
        Files.writeString(project.resolve("soma_project.yml"), "name: landing\nversion: 1.0.0\nmodels:\n  marts: {schema: landing_marts}\n");
        Files.writeString(project.resolve("sources.yml"), "sources:\n  - name: raw\n    schema: raw\n    tables: [{name: sales}]\n");
        Files.writeString(project.resolve("marts/sales_inc.sql"), """
                <@config materialized="incremental" incremental_strategy="append"/>
                select transaction_id, quantity from ${source('raw', 'sales')}
                <#if is_incremental()>where transaction_id > (select max(transaction_id) from ${this})</#if>
                """);
        Warehouse spark = SharedSpark.warehouse();
        try (Warehouse local = Warehouse.open(folder.resolve("again.duckdb"))) {
            Generator.with(GenerationConfig.defaults().withScale(0.1).withSeed(11).withAsOf(LocalDate.of(2025, 6, 30)))
                    .generate(local);
            RawLanding.land(local, spark, folder.resolve("parquet"), true);
            long raw = local.queryLong(OWNER, "SELECT count(*) FROM raw.sales");
            try (Soma soma = Soma.builder().project(project).warehouse(spark).build()) {
                RunResult first = soma.run(Selection.of("sales_inc"));
                assertThat(first.failures()).as(first.failures().toString()).isEmpty();
                RunResult unchanged = soma.run(Selection.of("sales_inc"));
                assertThat(unchanged.result("sales_inc").message()).startsWith("INSERT (append)").doesNotContain("rebuilt in full");

                RawLanding.land(local, spark, folder.resolve("parquet"), true);
                assertThat(TableReplacements.latest(spark.session()).keySet())
                        .containsAll(java.util.Arrays.stream(RawTable.values()).map(t -> "raw." + t.tableName()).toList());

                RunResult rebuilt = soma.run(Selection.of("sales_inc"));
                assertThat(rebuilt.failures()).as(rebuilt.failures().toString()).isEmpty();
                assertThat(rebuilt.result("sales_inc").message())
                        .contains("rebuilt in full: raw.sales was replaced since its last build");
                assertThat(spark.queryLong(OWNER, "SELECT count(*) FROM iceberg.landing_marts.sales_inc")).isEqualTo(raw);
            }
        } finally {
            spark.close();
        }
    }
}
