package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A small project (view, table, incremental merge, ephemeral, tests, a seed) built on Spark through Soma. */
class SmallProjectIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @TempDir
    static Path project;
    private static Warehouse warehouse;

    @BeforeAll
    static void setUp() throws IOException {
        warehouse = SharedSpark.warehouse();
        warehouse.createSchema("small_raw");
        warehouse.execute(OWNER, "CREATE OR REPLACE TABLE iceberg.small_raw.sales USING iceberg AS SELECT * FROM VALUES "
                + "('T1', 'B1', 2, CAST(10.50 AS DECIMAL(10,2)), DATE'2024-01-05'), "
                + "('T2', 'B2', 1, CAST(4.00 AS DECIMAL(10,2)), DATE'2024-02-01'), "
                + "('T3', 'B1', 3, CAST(10.50 AS DECIMAL(10,2)), DATE'2024-02-03') "
                + "AS t(transaction_id, book_id, quantity, unit_price, sale_date)");
        write("soma_project.yml", """
                name: small
                version: 1.0.0
                models:
                  staging: {materialized: view, schema: small_staging}
                  marts: {materialized: table, schema: small_marts}
                seeds:
                  schema: small_seeds
                targets:
                  spark: {engine: spark, master: "local[2]"}
                default_target: spark
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    schema: small_raw
                    tables:
                      - name: sales
                        columns:
                          - name: transaction_id
                            tests: [unique, not_null]
                """);
        write("seeds/channels.csv", "book_id,channel,weight\nB1,Online,1.5\nB2,\"Retail, big\",2\n");
        write("staging/stg_sales.sql", """
                select transaction_id, book_id, quantity, unit_price, quantity * unit_price as amount, sale_date
                from ${source("raw", "sales")}
                """);
        write("staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns:
                      - name: transaction_id
                        tests: [unique, not_null]
                      - name: quantity
                        tests:
                          - accepted_range: {min_value: 1, max_value: 10}
                """);
        write("marts/months.sql", """
                <@config materialized="ephemeral"/>
                select distinct date_trunc('month', sale_date) as month_start from ${ref("stg_sales")}
                """);
        write("marts/fact_sales.sql", """
                <@config materialized="incremental" unique_key="transaction_id"/>
                select s.*, c.channel, ${safe_divide("s.amount", "s.quantity")} as unit_amount,
                       ${datediff("DATE'2024-01-01'", "s.sale_date", "day")} as days_in
                from ${ref("stg_sales")} s left join ${ref("channels")} c using (book_id)
                <#if is_incremental()>where s.sale_date >= (select max(sale_date) from ${this})</#if>
                """);
        write("marts/monthly.sql", """
                select m.month_start, count(*) as sales, sum(f.amount) as revenue
                from ${ref("months")} m join ${ref("fact_sales")} f on date_trunc('month', f.sale_date) = m.month_start
                group by m.month_start
                """);
        write("tests/no_negative_revenue.sql", "select * from ${ref(\"monthly\")} where revenue < 0\n");
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    @Test
    void buildsTestsAndRebuildsIncrementally() {
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(2).build()) {
            RunResult first = soma.build(Selection.all());
            assertThat(first.failures()).as(describe(first)).isEmpty();
            assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg.small_marts.fact_sales")).isEqualTo(3);
            assertThat(warehouse.queryLong(OWNER, "SELECT sum(sales) FROM iceberg.small_marts.monthly")).isEqualTo(3);

            // T3 changes (a merge updates it), T4 is new (a merge inserts it).
            warehouse.execute(OWNER, "DELETE FROM iceberg.small_raw.sales WHERE transaction_id = 'T3'");
            warehouse.execute(OWNER, "INSERT INTO iceberg.small_raw.sales VALUES "
                    + "('T3', 'B1', 4, CAST(10.50 AS DECIMAL(10,2)), DATE'2024-02-03'), "
                    + "('T4', 'B2', 1, CAST(4.00 AS DECIMAL(10,2)), DATE'2024-03-01')");
            RunResult second = soma.build(Selection.of("stg_sales+"));
            assertThat(second.failures()).as(describe(second)).isEmpty();
            second.results().forEach(r -> System.out.println("[SmallProjectIT] " + r.node().name() + " " + r.status() + " "
                    + r.rowsAffected() + " " + r.message()));
            assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg.small_marts.fact_sales")).isEqualTo(4);
            assertThat(warehouse.queryLong(OWNER, "SELECT max(quantity) FROM iceberg.small_marts.fact_sales "
                    + "WHERE transaction_id = 'T3'")).isEqualTo(4);
        }
    }

    @Test
    void aDuckDbOnlyFunctionFailsWithSparksErrorAndTheModelsFile() throws IOException {
        write("marts/duck_only.sql", "select transaction_id,\n  strftime(sale_date, '%Y') as y\nfrom ${ref(\"stg_sales\")}\n");
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(2).build()) {
            RunResult result = soma.run(Selection.of("stg_sales duck_only"));
            NodeResult failed = result.result("duck_only");
            System.out.println("[SmallProjectIT] " + failed.message());
            assertThat(failed.status().name()).isEqualTo("ERROR");
            assertThat(failed.message()).contains("duck_only").contains("Spark error: ").doesNotContain("DuckDB error").contains("strftime").doesNotContain("\tat ");
            assertThat(failed.error()).isNotNull();
        } finally {
            Files.delete(project.resolve("marts/duck_only.sql"));
        }
    }

    private static String describe(RunResult result) {
        return result.results().stream().filter(r -> r.error() != null || !r.status().name().matches("SUCCESS|PASS"))
                .map(NodeResult::toString).collect(Collectors.joining("\n"));
    }

    private static void write(String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
