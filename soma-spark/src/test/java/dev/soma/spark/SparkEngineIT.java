package dev.soma.spark;

import dev.soma.core.engine.Column;
import dev.soma.core.engine.DeclaredTable;
import dev.soma.core.engine.Engine;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's SQL on a real local[2] session with Iceberg tables. */
class SparkEngineIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");
    private static Warehouse warehouse;
    private static Engine engine;

    @BeforeAll
    static void open() {
        warehouse = SharedSpark.warehouse();
        engine = warehouse.engine();
        long started = System.nanoTime();
        warehouse.queryLong(OWNER, "SELECT 1");
        System.out.println("[SparkEngineIT] first query in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        warehouse.createSchema("engine_it");
    }

    @AfterAll
    static void close() {
        warehouse.close();
    }

    private static String rel(String name) {
        return engine.dialect().relation("engine_it", name);
    }

    @Test
    void replacesATableAtomicallyAndReadsItsMetadata() {
        Session session = warehouse.session();
        assertThat(engine.relationKind(session, "engine_it", "books")).isNull();
        long rows = engine.replaceTable(session, OWNER, "engine_it", "books",
                "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(book_id, title)", null);
        assertThat(rows).isEqualTo(2);
        assertThat(engine.relationKind(session, "engine_it", "books")).isEqualTo(RelationKind.TABLE);
        rows = engine.replaceTable(session, OWNER, "engine_it", "books",
                "SELECT * FROM VALUES (1, 'a', 2.5D) AS t(book_id, title, price)", RelationKind.TABLE);
        assertThat(rows).isEqualTo(1);
        assertThat(engine.columns(session, "engine_it", "books"))
                .containsExactly(new Column("book_id", "int"), new Column("title", "string"), new Column("price", "double"));
        assertThat(engine.relations(session, List.of("engine_it", "no_such_schema")))
                .anyMatch(e -> e.name().equals("books") && e.kind() == RelationKind.TABLE);
        assertThat(engine.columns(session, "engine_it", "missing")).isEmpty();
        // Iceberg's Hadoop catalog keeps no views: a view is built as a table.
        engine.replaceView(session, OWNER, "engine_it", "books_view", "SELECT book_id FROM " + rel("books"), null);
        assertThat(engine.relationKind(session, "engine_it", "books_view")).isEqualTo(RelationKind.TABLE);
    }

    @Test
    void mergesDeleteInsertsAndOverwritesPartitions() {
        Session session = warehouse.session();
        engine.replaceTable(session, OWNER, "engine_it", "sales",
                "SELECT * FROM VALUES (1, 'x', 10), (2, 'y', 20) AS t(id, region, amount)", null);
        engine.replaceTable(session, OWNER, "engine_it", "batch",
                "SELECT * FROM VALUES (2, 'y', 21), (3, 'z', 30) AS t(id, region, amount)", null);
        session.execute(OWNER, engine.merge(List.of("id"), rel("sales"), rel("batch")));
        assertThat(rows("SELECT id, amount FROM " + rel("sales") + " ORDER BY id")).containsExactly("1:10", "2:21", "3:30");

        engine.replaceTable(session, OWNER, "engine_it", "batch",
                "SELECT * FROM VALUES (3, 'z', 31) AS t(id, region, amount)", null);
        engine.deleteInsert(List.of("id"), rel("sales"), rel("batch")).forEach(sql -> session.execute(OWNER, sql));
        assertThat(rows("SELECT id, amount FROM " + rel("sales") + " ORDER BY id")).containsExactly("1:10", "2:21", "3:31");

        engine.replaceTable(session, OWNER, "engine_it", "batch",
                "SELECT * FROM VALUES (9, 'x', 90) AS t(id, region, amount)", null);
        long snapshots = warehouse.queryLong(OWNER, "SELECT count(*) FROM " + rel("sales") + ".snapshots");
        List<String> overwrite = engine.insertOverwrite(List.of("region"), rel("sales"), rel("batch"));
        assertThat(overwrite).as("one statement").hasSize(1);
        overwrite.forEach(sql -> session.execute(OWNER, sql));
        assertThat(rows("SELECT id, amount FROM " + rel("sales") + " ORDER BY id")).containsExactly("2:21", "3:31", "9:90");
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + rel("sales") + ".snapshots"))
                .as("insert_overwrite is one Iceberg commit").isEqualTo(snapshots + 1);
        // Two partitions of a batch replaced, one with two rows, one (NULL) absent from the table before.
        engine.replaceTable(session, OWNER, "engine_it", "batch", "SELECT * FROM VALUES (5, 'y', 50), (6, 'y', 60), "
                + "(7, CAST(NULL AS STRING), 70) AS t(id, region, amount)", RelationKind.TABLE);
        engine.insertOverwrite(List.of("region"), rel("sales"), rel("batch")).forEach(sql -> session.execute(OWNER, sql));
        assertThat(rows("SELECT id, amount FROM " + rel("sales") + " ORDER BY id"))
                .containsExactly("3:31", "5:50", "6:60", "7:70", "9:90");
        engine.replaceTable(session, OWNER, "engine_it", "batch", "SELECT * FROM VALUES (8, CAST(NULL AS STRING), 80) "
                + "AS t(id, region, amount)", RelationKind.TABLE);
        engine.insertOverwrite(List.of("region"), rel("sales"), rel("batch")).forEach(sql -> session.execute(OWNER, sql));
        assertThat(rows("SELECT id, amount FROM " + rel("sales") + " ORDER BY id"))
                .as("a NULL partition replaced too").containsExactly("3:31", "5:50", "6:60", "8:80", "9:90");

        long inserted = session.execute(OWNER, engine.insertByName(rel("sales"), "(SELECT 40 AS amount, 'w' AS region, 4 AS id)"));
        assertThat(inserted).as("rows added, from Iceberg's snapshot summary").isEqualTo(1);
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + rel("sales"))).isEqualTo(6);
    }

    @Test
    void replacesAWindowInOneStatementFromAStage() {
        Session session = warehouse.session();
        engine.replaceTable(session, OWNER, "engine_it", "events",
                "SELECT * FROM VALUES (1, DATE'2024-01-01'), (2, DATE'2024-01-02'), (3, DATE'2024-01-03') AS t(id, day)", null);
        String predicate = "day >= DATE'2024-01-02' AND day < DATE'2024-01-03'";
        session.execute(OWNER, engine.createStage("soma_window_stage",
                "SELECT * FROM VALUES (20, DATE'2024-01-02'), (21, DATE'2024-01-02') AS s(id, day)"));
        List<String> statements = engine.replaceWhere(rel("events"), predicate, "soma_window_stage WHERE " + predicate);
        assertThat(statements).hasSize(1);
        long count = session.execute(OWNER, statements.get(0));
        System.out.println("[SparkEngineIT] replaceWhere MERGE reports " + count);
        session.execute(OWNER, engine.dropTable("soma_window_stage"));
        assertThat(rows("SELECT id FROM " + rel("events") + " ORDER BY id")).containsExactly("1", "3", "20", "21");
        // Another connection (thread) has its own Spark session: it does not see this one's stage.
        try (Session other = warehouse.openSession()) {
            other.execute(OWNER, engine.createStage("soma_window_stage", "SELECT 1 AS x"));
            assertThat(other.queryLong(OWNER, "SELECT count(*) FROM soma_window_stage")).isEqualTo(1);
        }
        List<String> views = session.queryList(OWNER, "SHOW VIEWS", rs -> rs.getString(2));
        assertThat(views).isEmpty();
    }

    @Test
    void buildsADeclaredTableInOneCommitAndRefusesRowsBreakingItsConstraints() {
        Session session = warehouse.session();
        DeclaredTable declared = new DeclaredTable(List.of(new DeclaredTable.DeclaredColumn("id", "VARCHAR", true),
                new DeclaredTable.DeclaredColumn("stock", "INTEGER", false),
                new DeclaredTable.DeclaredColumn("cost", "DECIMAL(10,2)", false),
                new DeclaredTable.DeclaredColumn("sold", "HUGEINT", false)), List.of("id"), List.of(), List.of("stock >= 0"));
        long rows = engine.replaceDeclaredTable(session, OWNER, "engine_it", "contracted", declared,
                "SELECT * FROM VALUES ('a', 1L, 2.5D, 3), ('b', CAST(NULL AS BIGINT), 1D, 4) AS t(id, stock, cost, sold)", null);
        assertThat(rows).isEqualTo(2);
        assertThat(engine.columns(session, "engine_it", "contracted")).containsExactly(new Column("id", "string"),
                new Column("stock", "int"), new Column("cost", "decimal(10,2)"), new Column("sold", "decimal(38,0)"));
        assertThat(engine.describeQuery(session, OWNER, "SELECT id, stock + 1 AS next FROM " + rel("contracted")))
                .containsExactly(new Column("id", "string"), new Column("next", "int"));
        long snapshots = warehouse.queryLong(OWNER, "SELECT count(*) FROM " + rel("contracted") + ".snapshots");
        assertThatThrownBy(() -> engine.replaceDeclaredTable(session, OWNER, "engine_it", "contracted", declared,
                "SELECT * FROM VALUES (CAST(NULL AS STRING), 1, 1D, 1) AS t(id, stock, cost, sold)", RelationKind.TABLE))
                .hasMessageContaining("column id is NULL in a row; its contract says not_null");
        assertThatThrownBy(() -> engine.replaceDeclaredTable(session, OWNER, "engine_it", "contracted", declared,
                "SELECT * FROM VALUES ('c', -1, 1D, 1) AS t(id, stock, cost, sold)", RelationKind.TABLE))
                .hasMessageContaining("breaks the check constraint stock >= 0");
        assertThat(rows("SELECT id FROM " + rel("contracted") + " ORDER BY id")).as("the table as it was").containsExactly("a", "b");
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM " + rel("contracted") + ".snapshots")).isEqualTo(snapshots);
        assertThat(engine.unenforced(declared)).singleElement().asString().startsWith("primary_key (id) is not enforced");
    }

    @Test
    void findsDuplicatesDedupsSamplesAndFingerprints() {
        Session session = warehouse.session();
        engine.replaceTable(session, OWNER, "engine_it", "dups",
                "SELECT * FROM VALUES (1, 'a'), (1, 'b'), (2, 'c') AS t(k, v)", null);
        String beyond = engine.beyondFirst("`k`", rel("dups") + " AS d");
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM (" + beyond + ")")).isEqualTo(1);
        int columns = warehouse.query(OWNER, beyond, rs -> rs.getMetaData().getColumnCount());
        assertThat(columns).isEqualTo(2);
        String first = engine.firstPerGroup("SELECT * FROM " + rel("dups"), "k", "v DESC");
        assertThat(rows("SELECT k, v FROM (" + first + ") ORDER BY k")).containsExactly("1:b", "2:c");
        assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM (" + engine.sample(rel("dups"), 100) + ")")).isEqualTo(3);
        String one = warehouse.query(OWNER, engine.fingerprint("SELECT * FROM " + rel("dups")), rs -> {
            rs.next();
            return rs.getLong(1) + "/" + rs.getString(2);
        });
        String reordered = warehouse.query(OWNER, engine.fingerprint("SELECT * FROM " + rel("dups") + " ORDER BY v DESC"), rs -> {
            rs.next();
            return rs.getLong(1) + "/" + rs.getString(2);
        });
        assertThat(one).startsWith("3/").isEqualTo(reordered);
    }

    @Test
    void crossEngineMacrosMatchDuckDbsMeaning() {
        var d = engine.dialect();
        String sql = "SELECT " + d.datediff("DATE'2024-01-31'", "DATE'2024-02-01'", "month") + ", "
                + d.datediff("DATE'2024-01-01'", "DATE'2024-03-01'", "day") + ", "
                + d.datediff("TIMESTAMP'2024-01-01 10:59:00'", "TIMESTAMP'2024-01-01 11:00:00'", "hour") + ", "
                + d.regexpFullMatch("'BOOK_000001'", "'BOOK_[0-9]{6}'") + ", "
                + d.regexpFullMatch("'xBOOK_000001'", "'BOOK_[0-9]{6}'") + ", "
                + d.safeDivide("1", "0") + ", " + d.safeDivide("CAST(1 AS DECIMAL(10,2))", "4") + ", "
                + d.cast("1", d.typeString()) + ", " + d.literal("it's \\ here");
        assertThat(rows(sql)).containsExactly("1:60:1:true:false:null:0.25:1:it's \\ here");
    }

    @Test
    void timeBucketsAreFixedWidthsFromTheOriginAsOnDuckDb() {
        var d = engine.dialect();
        String bucket = "CAST(" + d.timeBucket("t", java.time.Duration.ofHours(25), "TIMESTAMP'2024-01-01 06:00:00'") + " AS STRING)";
        assertThat(rows("SELECT " + bucket + " FROM VALUES (TIMESTAMP'2024-01-01 06:00:00'), (TIMESTAMP'2024-01-02 06:59:59.999999'), "
                + "(TIMESTAMP'2024-01-02 07:00:00'), (TIMESTAMP'2024-01-01 05:59:59') AS v(t)"))
                .containsExactly("2024-01-01 06:00:00", "2024-01-01 06:00:00", "2024-01-02 07:00:00", "2023-12-31 05:00:00");
        String number = d.bucketNumber("t", java.time.Duration.ofHours(25), "TIMESTAMP'2024-01-01 06:00:00'");
        assertThat(rows("SELECT " + number + " FROM VALUES (TIMESTAMP'2024-01-01 06:00:00'), (TIMESTAMP'2024-01-02 06:59:59.999999'), "
                + "(TIMESTAMP'2024-01-02 07:00:00'), (TIMESTAMP'2024-01-01 05:59:59'), (TIMESTAMP'2023-12-31 05:00:00'), "
                + "(TIMESTAMP'2023-12-31 04:59:59.999999') AS v(t)"))
                .containsExactly("0", "0", "1", "-1", "-1", "-2");
        String fromOrigin = d.bucketNumberFromOrigin("t", java.time.Duration.ofHours(25), "TIMESTAMP'2024-01-01 06:00:00'");
        assertThat(rows("SELECT " + fromOrigin + " FROM VALUES (TIMESTAMP'2024-01-01 06:00:00'), (TIMESTAMP'2024-01-02 06:59:59.999999'), "
                + "(TIMESTAMP'2024-01-02 07:00:00'), (TIMESTAMP'2024-01-03 07:59:59.999999'), (TIMESTAMP'2024-01-03 08:00:00') AS v(t)"))
                .as("from the origin on, the same numbers as bucketNumber").containsExactly("0", "0", "1", "1", "2");
    }

    private static List<String> rows(String sql) {
        return warehouse.queryList(OWNER, sql, rs -> {
            StringBuilder row = new StringBuilder();
            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                row.append(c > 1 ? ":" : "").append(rs.getString(c));
            }
            return row.toString();
        });
    }
}
