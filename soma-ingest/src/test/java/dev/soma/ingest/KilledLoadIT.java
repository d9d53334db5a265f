package dev.soma.ingest;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.CursorSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load killed with SIGKILL in a second JVM, while reading or in the middle of its transaction,
 * leaves the tables, the cursor and the load history exactly as before; the rerun loads each record once. A first load
 * (into a table that does not exist) killed while staging leaves no table.
 */
class KilledLoadIT {

    private static final SqlOwner TEST = SqlOwner.soma("test");

    static SourceSpec spec(Path file) {
        return new SourceSpec("raw.events", "raw", "events", CsvSpec.of(file.toString()),
                List.of(ColumnSpec.of("id", "BIGINT"), ColumnSpec.of("seq", "BIGINT"), ColumnSpec.of("note", "VARCHAR")),
                List.of("id"), new CursorSpec("seq", "0", null), WriteMode.APPEND, null);
    }

    /** Rows {@code from..to}; every 1000th has a bad seq and is rejected. */
    private static void write(Path file, int from, int to) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,seq,note\n");
            for (int i = from; i <= to; i++) {
                out.write(i + "," + (i % 1000 == 0 ? "x" : Integer.toString(i)) + ",note " + i + "\n");
            }
        }
    }

    private static String fingerprint(Warehouse warehouse) {
        return warehouse.queryList(TEST, """
                SELECT (SELECT count(*) FROM raw.events) || ' rows, hash ' || (SELECT sum(hash(id, seq, note, _load_id)) FROM raw.events)
                    || ', cursor ' || (SELECT cursor_value FROM soma_meta.ingest_cursors)
                    || ', loads ' || (SELECT count(*) FROM soma_meta.ingest_loads)
                    || ', rejects ' || (SELECT count(*) FROM soma_meta.ingest_rejects)
                """, rs -> rs.getString(1)).get(0);
    }

    /**
     * The first load into a table that does not exist yet stages in a hidden table that becomes the target at commit:
     * killed while it fills that table, it leaves no target, no cursor, no load record; the rerun drops the hidden
     * table and loads every record once.
     */
    @ParameterizedTest(name = "first load killed at {0} + {1} ms")
    @CsvSource({"validating, 0", "validating, 400"})
    void aKilledFirstLoadLeavesNoTable(String phase, long delayMillis, @TempDir Path dir) throws Exception {
        Path db = dir.resolve("soma.duckdb");
        Path file = dir.resolve("events.csv");
        write(file, 1, 2_000_000);
        try (Warehouse warehouse = Warehouse.open(db)) {
            warehouse.createSchema("raw");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp", System.getProperty("java.class.path"),
                KilledLoad.class.getName(),
                db.toString(), file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        killAt(child, phase, delayMillis);
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' "
                    + "AND table_name = 'events'")).isZero();
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'soma_meta' "
                    + "AND table_name IN ('ingest_loads', 'ingest_cursors')")).isZero();
            LoadResult rerun = Ingest.builder().warehouse(warehouse).source(spec(file)).build().load("raw.events");
            assertThat(rerun.succeeded()).as(rerun.toString()).isTrue();
            assertThat(rerun.rowsLoaded()).isEqualTo(2_000_000 - 2_000);
            assertThat(rerun.rowsRejected()).isEqualTo(2_000);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM raw.events")).isEqualTo(2_000_000 - 2_000);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM soma_meta.ingest_rejects")).isEqualTo(2_000);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%soma_loading%'"))
                    .as("the hidden table of the killed load is gone").isZero();
        }
    }

    /** Reads the child's progress until it reports {@code phase}, waits {@code delayMillis}, and kills it. */
    private static void killAt(Process child, String phase, long delayMillis) throws Exception {
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("the child's progress").isNotNull().doesNotStartWith("done");
            } while (!line.equals(phase));
            Thread.sleep(delayMillis);
            assertThat(child.isAlive()).as("the child is still loading when killed").isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest(name = "killed at {0} + {1} ms")
    @CsvSource({"reading, 0", "writing, 0", "writing, 250"})
    void aKilledLoadLeavesThePreviousState(String phase, long delayMillis, @TempDir Path dir) throws Exception {
        Path db = dir.resolve("soma.duckdb");
        Path file = dir.resolve("events.csv");
        write(file, 1, 1_000);
        String before;
        try (Warehouse warehouse = Warehouse.open(db)) {
            LoadResult first = Ingest.builder().warehouse(warehouse).source(spec(file)).build().load("raw.events");
            assertThat(first.rowsLoaded()).isEqualTo(999);
            before = fingerprint(warehouse);
        }
        write(file, 1, 2_000_000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp", System.getProperty("java.class.path"),
                KilledLoad.class.getName(),
                db.toString(), file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        killAt(child, phase, delayMillis);
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertThat(fingerprint(warehouse)).isEqualTo(before);
            LoadResult rerun = Ingest.builder().warehouse(warehouse).source(spec(file)).build().load("raw.events");
            assertThat(rerun.succeeded()).as(rerun.toString()).isTrue();
            // from cursor 999 (closed start): record 999 again (a duplicate by key), then 1,000 .. 2,000,000
            assertThat(rerun.rowsSkipped()).isEqualTo(998);
            assertThat(rerun.rowsDuplicate()).isEqualTo(1);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM raw.events")).isEqualTo(2_000_000 - 2_000);
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) - count(DISTINCT id) FROM raw.events")).isZero();
            assertThat(warehouse.queryLong(TEST, "SELECT count(*) FROM soma_meta.ingest_loads")).isEqualTo(2);
        }
    }
}
