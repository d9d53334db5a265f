package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.spark.engine.SparkEngineProvider;
import dev.soma.spark.session.SparkTarget;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target with {@code remote: sc://127.0.0.1:port} against a real Spark Connect server started in this
 * JVM on the shared session (loopback only): the same engine and JDBC face over a Connect client.
 */
class SparkConnectIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @BeforeAll
    static void startServer() {
        long started = System.nanoTime();
        SparkConnectService.start(SharedSpark.session().sparkContext());
        System.out.println("[SparkConnectIT] Connect service started in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stopServer() {
        SparkConnectService.stop(scala.Option.empty(), scala.Option.empty());
    }

    @Test
    void runsTheEngineOverSparkConnect() throws java.sql.SQLException {
        String url = "sc://127.0.0.1:" + SharedSpark.connectPort();
        SparkTarget remote = new SparkTarget("remote", null, url, "iceberg", SharedSpark.target().warehouse(), Map.of(), 2);
        long started = System.nanoTime();
        try (Warehouse warehouse = SparkEngineProvider.open(remote)) {
            System.out.println("[SparkConnectIT] client session in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertThat(warehouse.session().jdbc().unwrap(org.apache.spark.sql.SparkSession.class).getClass().getName())
                    .isEqualTo("org.apache.spark.sql.connect.SparkSession");
            warehouse.createSchema("connect_it");
            long rows = warehouse.engine().replaceTable(warehouse.session(), OWNER, "connect_it", "t",
                    "SELECT * FROM VALUES (1, CAST(2.50 AS DECIMAL(10,2)), DATE'2024-02-29', TIMESTAMP'2024-03-01 12:34:56', "
                            + "'x', true, 3.25D, array('a', 'b')) AS t(i, d, day, ts, s, b, f, tags)", null);
            assertThat(rows).isEqualTo(1);
            String row = warehouse.query(OWNER, "SELECT * FROM " + warehouse.engine().dialect().relation("connect_it", "t"), rs -> {
                rs.next();
                assertThat(rs.getInt("i")).isEqualTo(1);
                assertThat(rs.getBigDecimal("d")).isEqualByComparingTo(new BigDecimal("2.50"));
                assertThat(rs.getDate("day")).isEqualTo(Date.valueOf("2024-02-29"));
                assertThat(rs.getTimestamp("ts")).isEqualTo(Timestamp.valueOf("2024-03-01 12:34:56"));
                assertThat(rs.getBoolean("b")).isTrue();
                assertThat(rs.getDouble("f")).isEqualTo(3.25);
                assertThat((Object[]) rs.getArray("tags").getArray()).containsExactly("a", "b");
                return rs.getString("s");
            });
            assertThat(row).isEqualTo("x");
        }
        // Closing the client's warehouse stops the client session, not the server's.
        assertThat(SharedSpark.session().sql("SELECT 1").count()).isEqualTo(1);
    }
}
