package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import dev.soma.generator.RawLanding;
import dev.soma.generator.RawTable;
import dev.soma.generator.RawTablesExistException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code soma generate --target spark} does, through the Java API it calls: the generator writes a
 * local DuckDB database, {@link RawLanding} carries each raw table to Iceberg through Parquet with the
 * engines' {@code copyToParquet}/{@code loadParquet}; the rows arrive unchanged.
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
}
