package dev.soma.spark.load;

import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Copies the tables of one schema from a DuckDB warehouse into Iceberg tables of a Spark warehouse:
 * DuckDB writes each table as a Parquet file ({@code COPY … TO … (FORMAT parquet)}), Spark reads it
 * into {@code CREATE OR REPLACE TABLE … USING iceberg AS SELECT * FROM parquet.`file`} (one atomic
 * commit per table). Types carry over as Parquet keeps them: DuckDB's naive {@code TIMESTAMP} becomes
 * Spark's {@code TIMESTAMP_NTZ}, {@code VARCHAR} becomes {@code STRING}, decimals keep their precision.
 *
 * <pre>{@code
 * try (Warehouse duckdb = Warehouse.inMemory();
 *      Warehouse spark = SparkEngineProvider.open(target)) {
 *     Generator.with(config).generate(duckdb);
 *     ParquetTransfer.copySchema(duckdb, spark, "raw", Path.of("target/raw-parquet"));
 * }
 * }</pre>
 *
 * <p>{@code folder} must be readable by Spark's executors at the same path: any folder for
 * {@code local[N]}, shared storage for a cluster or a Spark Connect server elsewhere.
 */
public final class ParquetTransfer {

    private static final SqlOwner OWNER = SqlOwner.soma("parquet transfer");

    private ParquetTransfer() {
    }

    /** One table copied, with the rows on each side (equal unless something went wrong). */
    public record CopiedTable(String schema, String table, long duckdbRows, long sparkRows) {
    }

    /**
     * Copies every table of {@code schema} (views are skipped), replacing the Iceberg tables of the same
     * names; the Parquet files stay in {@code folder}/{@code schema}.
     */
    public static List<CopiedTable> copySchema(Warehouse duckdb, Warehouse spark, String schema, Path folder) {
        List<String> tables = duckdb.engine().relations(duckdb.session(), List.of(schema)).stream()
                .filter(entry -> entry.kind() == RelationKind.TABLE)
                .map(CatalogEntry::name)
                .sorted(Comparator.naturalOrder())
                .toList();
        Path dir = folder.resolve(schema).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SomaException(ErrorCode.FILE_ACCESS, "cannot create " + dir + " for the Parquet files: " + e.getMessage(), e);
        }
        spark.createSchema(schema);
        List<CopiedTable> copied = new ArrayList<>();
        for (String table : tables) {
            Path file = dir.resolve(table.toLowerCase(Locale.ROOT) + ".parquet");
            String source = duckdb.engine().dialect().relation(schema, table);
            duckdb.execute(OWNER, duckdb.engine().copyToParquet("SELECT * FROM " + source, file.toString()));
            long duckdbRows = duckdb.queryLong(OWNER, "SELECT count(*) FROM " + source);
            String target = spark.engine().dialect().relation(schema, table);
            spark.execute(OWNER, spark.engine().loadParquet(target, file.toString()));
            copied.add(new CopiedTable(schema, table, duckdbRows, spark.queryLong(OWNER, "SELECT count(*) FROM " + target)));
        }
        return copied;
    }
}
