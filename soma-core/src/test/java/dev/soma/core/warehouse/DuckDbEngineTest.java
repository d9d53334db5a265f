package dev.soma.core.warehouse;

import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.engine.Column;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.engine.RelationKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The DuckDB side of the seam: the SQL it spells runs, and reads what it says. */
class DuckDbEngineTest {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    private final Engine engine = DuckDbEngine.INSTANCE;
    private final Dialect dialect = engine.dialect();

    @Test
    void namesAreDoubleQuotedInTwoParts() {
        assertThat(dialect.relation("my schema", "a\"b")).isEqualTo("\"my schema\".\"a\"\"b\"");
        assertThat(dialect.quote("select")).isEqualTo("\"select\"");
    }

    @Test
    void theMacrosRenderDuckDbExpressionsThatGiveTheExpectedValues() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThat(warehouse.queryLong(OWNER, "SELECT " + dialect.datediff("DATE '2024-01-01'", "DATE '2024-03-01'", "day")))
                    .isEqualTo(60);
            List<Boolean> matches = warehouse.query(OWNER, "SELECT " + dialect.regexpFullMatch("'9780306406157'", "'97[89][0-9]{10}'")
                    + ", " + dialect.regexpFullMatch("'x9780306406157'", "'97[89][0-9]{10}'"),
                    rs -> { rs.next(); return List.of(rs.getBoolean(1), rs.getBoolean(2)); });
            assertThat(matches).containsExactly(true, false);
            List<Object> values = warehouse.query(OWNER, "SELECT " + dialect.safeDivide("1", "0") + ", typeof("
                    + dialect.safeDivide("3", "2.0") + "), " + dialect.cast("'1.5'", dialect.typeFloat()) + ", typeof("
                    + dialect.cast("1", dialect.typeString()) + ")",
                    rs -> { rs.next(); return List.of(String.valueOf(rs.getObject(1)), rs.getString(2), rs.getDouble(3), rs.getString(4)); });
            assertThat(values).containsExactly("null", "DOUBLE", 1.5, "VARCHAR");
        }
    }

    @Test
    void timeBucketsAreFixedWidthsFromTheOriginEvenBeforeIt() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            String origin = "TIMESTAMP '2024-01-01 06:00:00'";
            List<String> buckets = warehouse.queryList(OWNER, "SELECT CAST(" + dialect.timeBucket("t", java.time.Duration.ofHours(25), origin)
                    + " AS VARCHAR) FROM (VALUES (TIMESTAMP '2024-01-01 06:00:00'), (TIMESTAMP '2024-01-02 06:59:59.999999'), "
                    + "(TIMESTAMP '2024-01-02 07:00:00'), (TIMESTAMP '2024-01-01 05:59:59')) AS v(t)", rs -> rs.getString(1));
            assertThat(buckets).containsExactly("2024-01-01 06:00:00", "2024-01-01 06:00:00", "2024-01-02 07:00:00",
                    "2023-12-31 05:00:00");
            List<Long> numbers = warehouse.queryList(OWNER, "SELECT " + dialect.bucketNumber("t", java.time.Duration.ofHours(25), origin)
                    + " FROM (VALUES (TIMESTAMP '2024-01-01 06:00:00'), (TIMESTAMP '2024-01-02 06:59:59.999999'), "
                    + "(TIMESTAMP '2024-01-02 07:00:00'), (TIMESTAMP '2024-01-01 05:59:59'), (TIMESTAMP '2023-12-31 05:00:00'), "
                    + "(TIMESTAMP '2023-12-31 04:59:59.999999')) AS v(t)", rs -> rs.getLong(1));
            assertThat(numbers).as("the bucket numbers of the same rows, and either side of the first bucket before the origin")
                    .containsExactly(0L, 0L, 1L, -1L, -1L, -2L);
            List<Long> fromOrigin = warehouse.queryList(OWNER, "SELECT " + dialect.bucketNumberFromOrigin("t",
                    java.time.Duration.ofHours(25), origin) + " FROM (VALUES (TIMESTAMP '2024-01-01 06:00:00'), "
                    + "(TIMESTAMP '2024-01-02 06:59:59.999999'), (TIMESTAMP '2024-01-02 07:00:00'), "
                    + "(TIMESTAMP '2024-01-03 07:59:59.999999'), (TIMESTAMP '2024-01-03 08:00:00')) AS v(t)", rs -> rs.getLong(1));
            assertThat(fromOrigin).as("from the origin on, the same numbers as bucketNumber").containsExactly(0L, 0L, 1L, 1L, 2L);
        }
    }

    @Test
    void aTimestampSeriesIsEveryStepFromTheFirstUpToTheEndAndCarriesItsNumbersInOrder() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            String first = "TIMESTAMP '2024-03-30 22:00:00'";
            String end = "TIMESTAMP '2024-04-01 06:30:00'";
            java.time.Duration step = java.time.Duration.ofMinutes(390);
            List<String> starts = warehouse.queryList(OWNER, "SELECT CAST(s.t AS VARCHAR) FROM "
                    + dialect.timestampSeries(first, end, step, "s", "t") + " ORDER BY 1", rs -> rs.getString(1));
            assertThat(starts).as("every 6 h 30 min, the end left out, no daylight saving in a TIMESTAMP")
                    .containsExactly("2024-03-30 22:00:00", "2024-03-31 04:30:00", "2024-03-31 11:00:00",
                            "2024-03-31 17:30:00", "2024-04-01 00:00:00");
            List<String> numbered = warehouse.queryList(OWNER, "SELECT CAST(s.t AS VARCHAR) || ' ' || s.n || ' ' || typeof(s.n) FROM "
                    + dialect.timestampSeries(first, end, step, new long[] {7, 0, 3_000_000_000L, 1, 2}, "s", "t", "n")
                    + " ORDER BY s.t", rs -> rs.getString(1));
            assertThat(numbered).containsExactly("2024-03-30 22:00:00 7 BIGINT", "2024-03-31 04:30:00 0 BIGINT",
                    "2024-03-31 11:00:00 3000000000 BIGINT", "2024-03-31 17:30:00 1 BIGINT", "2024-04-01 00:00:00 2 BIGINT");
        }
    }

    @Test
    void replacingATableSwapsItAndTheCatalogSaysWhatIsThere() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            Session session = warehouse.session();
            session.createSchema("s");
            session.inTransaction(OWNER, tx -> {
                engine.replaceView(tx, OWNER, "s", "v", "SELECT 1 AS a", null);
                return engine.replaceTable(tx, OWNER, "s", "t", "SELECT 1 AS a UNION ALL SELECT 2", null);
            });
            long rows = session.inTransaction(OWNER, tx -> engine.replaceTable(tx, OWNER, "s", "v", "SELECT 3 AS a, 'x' AS b",
                    RelationKind.VIEW));
            assertThat(rows).isEqualTo(1);
            assertThat(engine.relations(session, List.of("s"))).containsExactlyInAnyOrder(
                    new CatalogEntry("s", "t", RelationKind.TABLE), new CatalogEntry("s", "v", RelationKind.TABLE));
            assertThat(engine.relationKind(session, "s", "nothing")).isNull();
            assertThat(engine.columns(session, "s", "v")).containsExactly(new Column("a", "INTEGER"), new Column("b", "VARCHAR"));
        }
    }

    @Test
    void incrementalStatementsApplyABatch() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            String t = dialect.relation("main", "t");
            String b = dialect.relation("main", "b");
            warehouse.execute(OWNER, "CREATE TABLE main.t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(k, v)");
            warehouse.execute(OWNER, "CREATE TABLE main.b AS SELECT * FROM (VALUES ('B', 2), ('C', 3)) v(v, k)");
            warehouse.execute(OWNER, engine.merge(List.of("k"), t, b));
            assertThat(warehouse.queryList(OWNER, "SELECT k || v FROM main.t ORDER BY k", rs -> rs.getString(1)))
                    .containsExactly("1a", "2B", "3C");
            for (String statement : engine.deleteInsert(List.of("k"), t, b)) {
                warehouse.execute(OWNER, statement);
            }
            assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM main.t")).isEqualTo(3);
            warehouse.execute(OWNER, "CREATE TABLE main.d AS SELECT * FROM (VALUES (1), (1), (2)) v(k)");
            assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM (" + engine.beyondFirst("k", "main.d") + ")"))
                    .isEqualTo(1);
            long fingerprinted = warehouse.query(OWNER, engine.fingerprint("SELECT * FROM main.t"), rs -> {
                rs.next();
                return rs.getLong(1);
            });
            assertThat(fingerprinted).isEqualTo(3);
        }
    }
}
