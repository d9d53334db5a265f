package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.spark.load.ParquetTransfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DuckDB tables land in Iceberg through Parquet with their values and types. */
class ParquetTransferIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @Test
    void copiesASchemaFromDuckDbIntoIceberg(@TempDir Path folder) {
        try (Warehouse duckdb = Warehouse.inMemory(); Warehouse spark = SharedSpark.warehouse()) {
            duckdb.createSchema("transfer_raw");
            duckdb.execute(OWNER, "CREATE TABLE transfer_raw.books AS SELECT * FROM (VALUES "
                    + "('BOOK_000001', 12.50::DECIMAL(10,2), DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05', 3::INTEGER, 1.25::DOUBLE, true), "
                    + "('BOOK_000002', NULL, NULL, NULL, NULL, NULL, NULL)) AS t(book_id, price, published, created_at, pages, score, active)");
            duckdb.execute(OWNER, "CREATE VIEW transfer_raw.v AS SELECT 1 AS x");
            List<ParquetTransfer.CopiedTable> copied = ParquetTransfer.copySchema(duckdb, spark, "transfer_raw", folder);
            assertThat(copied).containsExactly(new ParquetTransfer.CopiedTable("transfer_raw", "books", 2, 2));
            String row = spark.query(OWNER, "SELECT * FROM iceberg.transfer_raw.books ORDER BY book_id", rs -> {
                StringBuilder text = new StringBuilder();
                while (rs.next()) {
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        text.append(c > 1 ? "|" : "").append(rs.getString(c));
                    }
                    text.append(";");
                }
                return text.toString();
            });
            assertThat(row).isEqualTo("BOOK_000001|12.50|2024-01-02|2024-01-02 03:04:05.0|3|1.25|true;"
                    + "BOOK_000002|null|null|null|null|null|null;");
            assertThat(spark.engine().columns(spark.session(), "transfer_raw", "books"))
                    .extracting(c -> c.name() + " " + c.type())
                    .containsExactly("book_id string", "price decimal(10,2)", "published date", "created_at timestamp_ntz",
                            "pages int", "score double", "active boolean");
        }
    }
}
