package dev.soma.core.warehouse;

import dev.soma.core.error.DatabaseUnavailableException;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SqlExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarehouseTest {

    private static final SqlOwner TEST = SqlOwner.loader("warehouse-test");

    @Test
    void createsSchemasIdempotently() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.createSchema("staging");
            warehouse.createSchema("staging");
            long count = warehouse.queryLong(TEST,
                    "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'staging'");
            assertThat(count).isEqualTo(1);
        }
    }

    @Test
    void quotesAwkwardIdentifiers() {
        List<String> awkward = List.of("select", "my \"odd\" schema", "Mixed Case", "naïve-name; DROP TABLE x", "1starts_with_digit");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            for (String name : awkward) {
                warehouse.createSchema(name);
                warehouse.execute(TEST, "CREATE TABLE " + Identifiers.qualify(name, name) + " (v INTEGER)");
                warehouse.execute(TEST, "INSERT INTO " + Identifiers.qualify(name, name) + " VALUES (7)");
                assertThat(warehouse.queryLong(TEST, "SELECT v FROM " + Identifiers.qualify(name, name))).isEqualTo(7);
                assertThat(warehouse.relationType(name, name)).isEqualTo("table");
            }
            // The injection attempt in the name stayed a name: no table x was dropped or created.
            assertThat(warehouse.relationExists("main", "x")).isFalse();
        }
        assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(Identifiers.literal("it's")).isEqualTo("'it''s'");
        assertThatThrownBy(() -> Identifiers.quote("")).hasMessageContaining("must not be empty");
    }

    @Test
    void readStatementsReadWithoutATransactionAndRefuseToRunInsideOne() {
        try (Warehouse warehouse = Warehouse.inMemory(); Session session = warehouse.openSession()) {
            warehouse.createSchema("s");
            warehouse.execute(TEST, "CREATE TABLE s.t AS SELECT range AS v FROM range(5)");
            long sum = session.readStatements(TEST, s -> s.queryLong(TEST, "SELECT sum(v) FROM s.t"));
            assertThat(sum).isEqualTo(10);
            // Each statement sees what is committed when it starts: no snapshot is held between statements.
            long counts = session.readStatements(TEST, s -> {
                long before = s.queryLong(TEST, "SELECT count(*) FROM s.t");
                warehouse.execute(TEST, "INSERT INTO s.t VALUES (5)");
                return before * 10 + s.queryLong(TEST, "SELECT count(*) FROM s.t");
            });
            assertThat(counts).isEqualTo(56);
            // A failing statement comes back as Soma's error, and the session stays usable.
            assertThatThrownBy(() -> session.readStatements(TEST, s -> s.queryLong(TEST, "SELECT * FROM s.missing")))
                    .isInstanceOf(SqlExecutionException.class);
            long after = session.readStatements(TEST, s -> s.queryLong(TEST, "SELECT count(*) FROM s.t"));
            assertThat(after).isEqualTo(6);
            assertThatThrownBy(() -> session.inTransaction(TEST, s -> s.readStatements(TEST, inner -> 1)))
                    .hasMessageContaining("inside an open transaction");
        }
    }

    @Test
    void rollbackLeavesNothingBehind() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.createSchema("s");
            warehouse.execute(TEST, "CREATE TABLE s.kept (v INTEGER)");
            warehouse.execute(TEST, "INSERT INTO s.kept VALUES (1)");

            assertThatThrownBy(() -> warehouse.inTransaction(TEST, session -> {
                session.execute(TEST, "CREATE TABLE s.half_written (v INTEGER)");
                session.execute(TEST, "INSERT INTO s.half_written VALUES (1), (2)");
                session.execute(TEST, "DELETE FROM s.kept");
                session.execute(TEST, "INSERT INTO s.no_such_table VALUES (1)");
                return null;
            })).isInstanceOf(SqlExecutionException.class);

            assertThat(warehouse.relationExists("s", "half_written")).isFalse();
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM s.kept")).isEqualTo(1);
            // The session is usable again, in auto-commit mode.
            warehouse.execute(TEST, "INSERT INTO s.kept VALUES (2)");
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM s.kept")).isEqualTo(2);
        }
    }

    @Test
    void commitsWhenWorkSucceeds() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            int result = warehouse.inTransaction(TEST, session -> {
                session.execute(TEST, "CREATE TABLE t AS SELECT range AS v FROM range(10)");
                return 10;
            });
            assertThat(result).isEqualTo(10);
            assertThat(warehouse.queryLong(TEST, "SELECT sum(v) FROM t")).isEqualTo(45);
        }
    }

    @Test
    void appenderRoundTripsEveryType() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            warehouse.createSchema("raw");
            warehouse.execute(TEST, "CREATE TABLE raw.items (id VARCHAR, n INTEGER, big BIGINT, price DECIMAL(10,2), "
                    + "ratio DOUBLE, day DATE, note VARCHAR)");
            long appended = warehouse.append(TEST, "raw", "items", appender -> {
                for (int i = 0; i < 10_000; i++) {
                    appender.beginRow()
                            .append("ID_" + i)
                            .append(i)
                            .append(i * 1_000_000_000L)
                            .append(new BigDecimal("12.34"))
                            .append(i / 4.0)
                            .append(LocalDate.of(2024, 1, 1).plusDays(i % 365));
                    if (i % 2 == 0) {
                        appender.appendNull();
                    } else {
                        appender.append("odd");
                    }
                    appender.endRow();
                }
                return 10_000L;
            });
            assertThat(appended).isEqualTo(10_000);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM raw.items")).isEqualTo(10_000);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM raw.items WHERE note IS NULL")).isEqualTo(5_000);
            String row = warehouse.query(TEST, "SELECT id, n, big, price, ratio, day FROM raw.items WHERE n = 9999", rs -> {
                rs.next();
                return rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getLong(3) + "|" + rs.getBigDecimal(4)
                        + "|" + rs.getDouble(5) + "|" + rs.getObject(6, LocalDate.class);
            });
            assertThat(row).isEqualTo("ID_9999|9999|9999000000000|12.34|2499.75|" + LocalDate.of(2024, 1, 1).plusDays(9999 % 365));
        }
    }

    @Test
    void sqlErrorsNameTheOwnerAndDuckDbsMessage() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThatThrownBy(() -> warehouse.execute(SqlOwner.model("fact_sales"), "SELEC 1"))
                    .isInstanceOfSatisfying(SqlExecutionException.class, e -> {
                        assertThat(e.owner()).isEqualTo(SqlOwner.model("fact_sales"));
                        assertThat(e.sql()).isEqualTo("SELEC 1");
                        assertThat(e.code()).isEqualTo(ErrorCode.SQL_ERROR);
                        assertThat(e.getMessage()).startsWith("model fact_sales: DuckDB error: ").contains("syntax error");
                    });
            // A failed statement does not poison the session.
            assertThat(warehouse.queryLong(TEST, "SELECT 41 + 1")).isEqualTo(42);
        }
    }

    @Test
    void workersGetTheirOwnConnectionsToOneDatabase(@TempDir Path dir) throws Exception {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            warehouse.execute(TEST, "CREATE TABLE hits (worker INTEGER)");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> futures = new java.util.ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int worker = w;
                    futures.add(pool.submit(() -> {
                        try (Session session = warehouse.openSession()) {
                            session.execute(TEST, "INSERT INTO hits SELECT " + worker + " FROM range(1000)");
                            return session.queryLong(TEST, "SELECT count(*) FROM hits WHERE worker = " + worker);
                        }
                    }));
                }
                for (Future<Long> future : futures) {
                    assertThat(future.get()).isEqualTo(1000);
                }
            } finally {
                pool.shutdown();
            }
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM hits")).isEqualTo(4000);
        }
    }

    @Test
    void closeReleasesTheFileAndOpenSessions(@TempDir Path dir) {
        Path file = dir.resolve("nested/folder/w.duckdb");
        Warehouse first = Warehouse.open(file);
        Session straggler = first.openSession();
        straggler.execute(TEST, "CREATE TABLE t AS SELECT 1 AS v");
        first.close();
        first.close();
        assertThat(Files.exists(file)).isTrue();
        try (Warehouse second = Warehouse.open(file)) {
            assertThat(second.queryLong(TEST, "SELECT v FROM t")).isEqualTo(1);
        }
    }

    @Test
    void refusesAFileThatIsNotADatabase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notes.duckdb");
        Files.writeString(file, "this is not a database, just some text that is long enough ".repeat(100));
        assertThatThrownBy(() -> Warehouse.open(file))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("--db");
    }

    @Test
    void refusesAFolder(@TempDir Path dir) {
        assertThatThrownBy(() -> Warehouse.open(dir))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("is a folder");
    }

    @Test
    void inMemoryWarehousesAreIsolated() throws SQLException {
        try (Warehouse a = Warehouse.inMemory(); Warehouse b = Warehouse.inMemory()) {
            a.execute(TEST, "CREATE TABLE only_in_a (v INTEGER)");
            assertThat(b.relationExists("main", "only_in_a")).isFalse();
            assertThat(a.duckdbVersion()).startsWith("v");
        }
    }
}
