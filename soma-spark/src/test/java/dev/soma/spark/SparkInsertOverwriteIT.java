package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One model with {@code incremental_strategy: insert_overwrite, partition_by: day} built on DuckDB and on
 * Spark/Iceberg: the same rows after each run, and on Iceberg one snapshot per incremental run.
 */
class SparkInsertOverwriteIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @TempDir
    Path project;

    @Test
    void replacesTheBatchsPartitionsAsDuckDbDoesInOneIcebergCommit() throws IOException {
        write("soma_project.yml", """
                name: overwrite
                version: 1.0.0
                models:
                  marts: {schema: io_marts}
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    schema: io_raw
                    tables: [{name: sales}]
                """);
        write("marts/_marts.yml", """
                models:
                  - name: daily_sales
                    config: {materialized: incremental, incremental_strategy: insert_overwrite, partition_by: day}
                """);
        write("marts/daily_sales.sql", """
                select day, region, item, loaded from ${source("raw", "sales")}
                <#if is_incremental()>where loaded > (select max(loaded) from ${this})</#if>
                """);
        String firstLoad = "(1, 'n', 'a', 1), (1, 's', 'b', 1), (2, 'n', 'c', 1), (2, 'n', 'd', 1), (CAST(NULL AS INT), 'n', 'e', 1)";
        String secondLoad = "(2, 'n', 'c2', 2), (CAST(NULL AS INT), 's', 'f', 2), (3, 's', 'g', 2)";

        try (Warehouse duck = Warehouse.inMemory(); Warehouse spark = SharedSpark.warehouse()) {
            duck.createSchema("io_raw");
            duck.execute(OWNER, "CREATE TABLE io_raw.sales (day INTEGER, region VARCHAR, item VARCHAR, loaded INTEGER)");
            spark.createSchema("io_raw");
            spark.execute(OWNER, "CREATE OR REPLACE TABLE iceberg.io_raw.sales (day INT, region STRING, item STRING, loaded INT)"
                    + " USING iceberg");
            duck.execute(OWNER, "INSERT INTO io_raw.sales VALUES " + firstLoad);
            spark.execute(OWNER, "INSERT INTO iceberg.io_raw.sales VALUES " + firstLoad);
            try (Soma onDuck = Soma.builder().project(project).warehouse(duck).build();
                 Soma onSpark = Soma.builder().project(project).warehouse(spark).build()) {
                assertThat(message(onDuck.run(Selection.all()))).isEqualTo("CREATE TABLE (5 rows)");
                assertThat(message(onSpark.run(Selection.all()))).isEqualTo("CREATE TABLE (5 rows)");
            }

            duck.execute(OWNER, "INSERT INTO io_raw.sales VALUES " + secondLoad);
            spark.execute(OWNER, "INSERT INTO iceberg.io_raw.sales VALUES " + secondLoad);
            long snapshots = snapshots(spark);
            try (Soma onDuck = Soma.builder().project(project).warehouse(duck).build();
                 Soma onSpark = Soma.builder().project(project).warehouse(spark).build()) {
                assertThat(message(onDuck.run(Selection.all()))).isEqualTo("INSERT OVERWRITE 3 partitions (3 rows)");
                assertThat(message(onSpark.run(Selection.all()))).isEqualTo("INSERT OVERWRITE 3 partitions (3 rows)");
                assertThat(snapshots(spark)).as("one Iceberg commit per incremental run").isEqualTo(snapshots + 1);
                List<String> expected = List.of("1/n/a", "1/s/b", "2/n/c2", "3/s/g", "null/s/f");
                assertThat(rows(duck, "io_marts.daily_sales")).isEqualTo(expected);
                assertThat(rows(spark, "iceberg.io_marts.daily_sales")).isEqualTo(expected);

                // Nothing new: no partition replaced.
                assertThat(message(onSpark.run(Selection.all()))).isEqualTo("INSERT OVERWRITE 0 partitions (0 rows)");
                assertThat(rows(spark, "iceberg.io_marts.daily_sales")).isEqualTo(expected);
            }
        }
    }

    private static String message(RunResult result) {
        assertThat(result.failures()).as(result.failures().toString()).isEmpty();
        return result.result("daily_sales").message();
    }

    private static long snapshots(Warehouse spark) {
        return spark.queryLong(OWNER, "SELECT count(*) FROM iceberg.io_marts.daily_sales.snapshots");
    }

    private static List<String> rows(Warehouse warehouse, String relation) {
        return warehouse.queryList(OWNER, "SELECT day, region, item FROM " + relation, rs -> rs.getObject(1) + "/"
                + rs.getString(2) + "/" + rs.getString(3)).stream().sorted().toList();
    }

    private void write(String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
