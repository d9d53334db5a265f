package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Write-audit-publish on Spark + Iceberg with Iceberg's own branches: a publish build writes each table
 * to its {@code soma_audit} branch, tests read the branch, a pass fast-forwards every table, a failing
 * error-severity test leaves production as it was and no branch behind. Steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkPublishIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");
    private static final List<String> TABLES = List.of("wap_staging.stg_orders", "wap_marts.customer_totals",
            "wap_marts.fact_orders");

    @TempDir
    static Path project;
    private static Warehouse warehouse;

    @BeforeAll
    static void setUp() throws IOException {
        warehouse = SharedSpark.warehouse();
        warehouse.createSchema("wap_raw");
        warehouse.execute(OWNER, "CREATE OR REPLACE TABLE iceberg.wap_raw.orders USING iceberg AS SELECT * FROM VALUES "
                + "('O1', 'C1', CAST(10.00 AS DECIMAL(10,2))), ('O2', 'C2', CAST(20.00 AS DECIMAL(10,2))), "
                + "('O3', 'C1', CAST(5.00 AS DECIMAL(10,2))) AS t(order_id, customer_id, amount)");
        write("soma_project.yml", """
                name: wap
                version: 1.0.0
                models:
                  staging: {materialized: view, schema: wap_staging}
                  marts: {materialized: table, schema: wap_marts}
                targets:
                  spark: {engine: spark, master: "local[2]"}
                default_target: spark
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    schema: wap_raw
                    tables:
                      - name: orders
                """);
        write("staging/stg_orders.sql", "select order_id, customer_id, amount from ${source(\"raw\", \"orders\")}\n");
        write("marts/customer_totals.sql", """
                select customer_id, count(*) as orders, sum(amount) as revenue from ${ref("stg_orders")} group by customer_id
                """);
        write("marts/fact_orders.sql", """
                <@config materialized="incremental" unique_key="order_id"/>
                select order_id, customer_id, amount from ${ref("stg_orders")}
                <#if is_incremental()>where order_id > (select max(order_id) from ${this})</#if>
                """);
        write("marts/_marts.yml", """
                models:
                  - name: fact_orders
                    columns:
                      - name: order_id
                        tests: [unique, not_null]
                """);
        // error severity (the default): no customer above 1000
        write("tests/no_whale.sql", "select * from ${ref(\"customer_totals\")} where revenue > 1000\n");
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    @Test
    @Order(1)
    void aPassingPublishBuildMakesEveryTableLiveAndLeavesNoBranch() {
        try (Soma soma = soma()) {
            RunResult first = soma.build(Selection.all());
            assertThat(first.failures()).isEmpty();
            warehouse.execute(OWNER, "INSERT INTO iceberg.wap_raw.orders VALUES ('O4', 'C2', CAST(7.00 AS DECIMAL(10,2)))");

            PublishedBuild built = soma.build(Selection.all(), Publishing.PUBLISH);

            assertThat(built.run().failures()).isEmpty();
            assertThat(built.publish().state()).isEqualTo(PublishState.PUBLISHED);
            // Each table's branch is fast-forwarded on its own: the result must not claim one transaction.
            assertThat(built.publish().atomic()).isFalse();
            assertThat(built.publish().summary()).doesNotContain("one transaction")
                    .contains("(each table fast-forwarded; not one atomic step, see docs/engines.md)");
            assertThat(count("wap_marts.fact_orders")).isEqualTo(4);
            assertThat(count("wap_staging.stg_orders")).isEqualTo(4);
            assertThat(warehouse.queryLong(OWNER, "SELECT orders FROM iceberg.wap_marts.customer_totals WHERE customer_id = 'C2'"))
                    .isEqualTo(2);
            assertNoBranches();
            assertThat(state(built.publish().runId())).isEqualTo("published");
        }
    }

    @Test
    @Order(2)
    void aFailingErrorTestLeavesProductionUntouchedAndNoBranchBehind() throws IOException {
        Map<String, String> before = contents();
        warehouse.execute(OWNER, "INSERT INTO iceberg.wap_raw.orders VALUES ('O5', 'C3', CAST(5000.00 AS DECIMAL(10,2)))");
        // A model new in this build: its table is made only to hold its branch, and goes with it.
        write("marts/new_model.sql", "select customer_id from ${ref(\"customer_totals\")}\n");
        try (Soma soma = soma()) {
            PublishedBuild built = soma.build(Selection.all(), Publishing.PUBLISH);

            assertThat(built.publish().state()).isEqualTo(PublishState.FAILED);
            assertThat(built.publish().failedTests()).anyMatch(test -> test.contains("no_whale"));
            assertThat(built.publish().summary()).contains("live relations are unchanged").contains("Nothing of the audit is kept");
            assertThat(contents()).isEqualTo(before);
            assertThat(warehouse.relationExists("wap_marts", "new_model")).isFalse();
            assertNoBranches();
            assertThat(state(built.publish().runId())).isEqualTo("discarded");
        } finally {
            Files.delete(project.resolve("marts/new_model.sql"));
            warehouse.execute(OWNER, "DELETE FROM iceberg.wap_raw.orders WHERE order_id = 'O5'");
        }
    }

    @Test
    @Order(3)
    void anAuditedBuildWaitsOnBranchesUntilPublished() {
        warehouse.execute(OWNER, "INSERT INTO iceberg.wap_raw.orders VALUES ('O6', 'C1', CAST(1.00 AS DECIMAL(10,2)))");
        try (Soma soma = soma()) {
            Map<String, String> before = contents();

            PublishedBuild audited = soma.build(Selection.all(), Publishing.AUDIT);

            assertThat(audited.publish().state()).isEqualTo(PublishState.AUDITED);
            assertThat(contents()).isEqualTo(before);
            assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg.wap_marts.fact_orders.branch_soma_audit"))
                    .isEqualTo(5);

            PublishResult published = soma.publish();

            assertThat(published.state()).isEqualTo(PublishState.PUBLISHED);
            assertThat(published.summary()).startsWith("published ").doesNotContain("one transaction")
                    .contains("not one atomic step");
            assertThat(count("wap_marts.fact_orders")).isEqualTo(5);
            assertThat(warehouse.queryLong(OWNER, "SELECT orders FROM iceberg.wap_marts.customer_totals WHERE customer_id = 'C1'"))
                    .isEqualTo(3);
            assertNoBranches();
        }
    }

    @Test
    @Order(4)
    void publishingIsRefusedWhenALiveTableChangedAfterTheAudit() {
        warehouse.execute(OWNER, "INSERT INTO iceberg.wap_raw.orders VALUES ('O7', 'C2', CAST(2.00 AS DECIMAL(10,2)))");
        try (Soma soma = soma()) {
            assertThat(soma.build(Selection.all(), Publishing.AUDIT).publish().state()).isEqualTo(PublishState.AUDITED);
            warehouse.execute(OWNER, "INSERT INTO iceberg.wap_marts.fact_orders VALUES ('O9', 'C9', CAST(1.00 AS DECIMAL(10,2)))");
            Map<String, String> before = contents();

            org.assertj.core.api.Assertions.assertThatThrownBy(soma::publish)
                    .hasMessageContaining("wap_marts.fact_orders")
                    .hasMessageContaining("changed since the audit")
                    .hasMessageContaining("nothing was changed");
            assertThat(contents()).isEqualTo(before);

            PublishResult discarded = soma.discard();
            assertThat(discarded.state()).isEqualTo(PublishState.DISCARDED);
            assertNoBranches();
        }
    }

    private static Soma soma() {
        return Soma.builder().project(project).warehouse(warehouse).threads(2).build();
    }

    private static long count(String table) {
        return warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg." + table);
    }

    /** Each table's rows, sorted, as text. */
    private static Map<String, String> contents() {
        Map<String, String> contents = new LinkedHashMap<>();
        for (String table : TABLES) {
            contents.put(table, String.join("\n", warehouse.queryList(OWNER, "SELECT * FROM iceberg." + table + " ORDER BY 1",
                    rs -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3))));
        }
        return contents;
    }

    private static void assertNoBranches() {
        for (String table : TABLES) {
            assertThat(warehouse.queryList(OWNER, "SELECT name FROM iceberg." + table + ".refs", rs -> rs.getString(1)))
                    .as(table).containsExactly("main");
        }
    }

    private static String state(String runId) {
        return warehouse.queryList(OWNER, "SELECT state FROM iceberg.soma_meta.publishes WHERE run_id = '" + runId + "'",
                rs -> rs.getString(1)).get(0);
    }

    private static void write(String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
