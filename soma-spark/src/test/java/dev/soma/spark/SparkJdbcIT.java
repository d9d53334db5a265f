package dev.soma.spark;

import dev.soma.spark.jdbc.SparkJdbc;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBC face over a real session: types, nulls, metadata, parameters, scripts, errors. */
class SparkJdbcIT {

    @Test
    void readsEveryTypeSomaUses() throws SQLException {
        try (Connection connection = SparkJdbc.connect(SharedSpark.session());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT 1 AS i, 2L AS l, 2.5D AS d, CAST(1.10 AS DECIMAL(5,2)) AS dec, "
                     + "'s' AS s, true AS b, DATE'2024-01-02' AS day, TIMESTAMP'2024-01-02 03:04:05' AS ts, "
                     + "TIMESTAMP_NTZ'2024-01-02 03:04:05' AS ntz, CAST(NULL AS INT) AS n, array(1, 2) AS arr, "
                     + "map('k', 1) AS m, named_struct('a', 1) AS st")) {
            ResultSetMetaData meta = rs.getMetaData();
            assertThat(meta.getColumnCount()).isEqualTo(13);
            assertThat(meta.getColumnLabel(4)).isEqualTo("dec");
            assertThat(List.of(meta.getColumnType(1), meta.getColumnType(2), meta.getColumnType(3), meta.getColumnType(4),
                    meta.getColumnType(5), meta.getColumnType(6), meta.getColumnType(7), meta.getColumnType(8)))
                    .containsExactly(Types.INTEGER, Types.BIGINT, Types.DOUBLE, Types.DECIMAL, Types.VARCHAR, Types.BOOLEAN,
                            Types.DATE, Types.TIMESTAMP);
            assertThat(meta.getPrecision(4)).isEqualTo(5);
            assertThat(meta.getScale(4)).isEqualTo(2);
            assertThat(meta.getColumnTypeName(4)).isEqualTo("DECIMAL(5,2)");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getLong("l")).isEqualTo(2L);
            assertThat(rs.getDouble("d")).isEqualTo(2.5);
            assertThat(rs.getBigDecimal("dec")).isEqualTo(new BigDecimal("1.10"));
            assertThat(rs.getString("dec")).isEqualTo("1.10");
            assertThat(rs.getString("s")).isEqualTo("s");
            assertThat(rs.getBoolean("b")).isTrue();
            assertThat(rs.getDate("day").toLocalDate()).isEqualTo(LocalDate.of(2024, 1, 2));
            assertThat(rs.getObject("day", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
            // The session is in UTC: a TIMESTAMP reads as its UTC wall clock, as DuckDB's naive timestamps do.
            assertThat(rs.getTimestamp("ts")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05"));
            assertThat(rs.getObject("ts", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
            assertThat(rs.getTimestamp("ntz")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05"));
            assertThat(rs.getInt("n")).isZero();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getObject("n")).isNull();
            assertThat(rs.getObject("arr")).isEqualTo(List.of(1, 2));
            assertThat(rs.getObject("m")).isEqualTo(Map.of("k", 1));
            assertThat(rs.getObject("st")).isEqualTo(Map.of("a", 1));
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void runsScriptsPreparedStatementsAndTransactionsAsNoOps() throws SQLException {
        try (Connection connection = SparkJdbc.connect(SharedSpark.session())) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE NAMESPACE IF NOT EXISTS iceberg.jdbc_it; "
                        + "CREATE OR REPLACE TABLE iceberg.jdbc_it.t (id STRING, at TIMESTAMP, n BIGINT, x DOUBLE) USING iceberg; "
                        + "-- a comment; with a semicolon\nBEGIN TRANSACTION");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO iceberg.jdbc_it.t VALUES (?, ?, ?, ?)")) {
                insert.setString(1, "it's; here");
                insert.setObject(2, LocalDateTime.of(2024, 5, 6, 7, 8, 9));
                insert.setLong(3, 42L);
                insert.setNull(4, Types.DOUBLE);
                insert.addBatch();
                insert.setString(1, "two");
                insert.setObject(2, LocalDateTime.of(2024, 5, 6, 7, 8, 10));
                insert.setLong(3, 43L);
                insert.setDouble(4, 1.5);
                insert.addBatch();
                insert.executeBatch();
            }
            connection.commit();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, at, x FROM iceberg.jdbc_it.t WHERE n = ?")) {
                select.setInt(1, 42);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("it's; here");
                    assertThat(rs.getTimestamp(2)).isEqualTo(Timestamp.valueOf("2024-05-06 07:08:09"));
                    assertThat(rs.getObject(3)).isNull();
                }
            }
            try (Statement statement = connection.createStatement()) {
                long deleted = statement.executeLargeUpdate("DELETE FROM iceberg.jdbc_it.t WHERE n = 43");
                assertThat(deleted).isGreaterThanOrEqualTo(0);
                connection.setReadOnly(true);
                assertThatThrownBy(() -> statement.execute("DROP TABLE iceberg.jdbc_it.t"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
                connection.setReadOnly(false);
                assertThatThrownBy(() -> statement.executeQuery("SELECT strftime(now(), '%Y')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("strftime");
            }
            assertThatThrownBy(() -> connection.prepareCall("x")).isInstanceOf(SQLFeatureNotSupportedException.class);
        }
    }
}
