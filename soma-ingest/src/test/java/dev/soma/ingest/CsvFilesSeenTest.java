package dev.soma.ingest;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV glob read again reads only new and changed files: the files loaded (path, size, modification time, content
 * hash) are remembered in {@code soma_meta.ingest_files}, in the load's transaction.
 */
class CsvFilesSeenTest {

    private static final SqlOwner TEST = SqlOwner.soma("test");
    private static final String HEADER = "isbn,title,price,format\n";

    @TempDir
    Path dir;
    Warehouse warehouse;

    @BeforeEach
    void open() throws IOException {
        warehouse = Warehouse.open(dir.resolve("test.duckdb"));
        Files.createDirectories(dir.resolve("drop"));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private LoadResult load(WriteMode mode) {
        SourceSpec spec = new SourceSpec("raw.books", "raw", "books", CsvSpec.of("drop/*.csv"), CsvLoadTest.bookColumns(),
                List.of("isbn"), null, mode, null);
        return Ingest.builder().warehouse(warehouse).baseDir(dir).source(spec).build().load(spec.name());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve("drop").resolve(name), text, StandardCharsets.UTF_8);
    }

    private long count(String sql) {
        return warehouse.queryLong(TEST, sql);
    }

    @Test
    void unchangedFilesAreSkippedAndTheirRejectsNotRecordedAgain() throws IOException {
        write("a.csv", HEADER + "9780306406157,A,1,Paperback\nbroken line\n");
        write("b.csv", HEADER + "9780804429573,B,2,Paperback\n");
        LoadResult first = load(WriteMode.APPEND);
        assertThat(first.rowsRead()).as(first.toString()).isEqualTo(3);
        assertThat(first.rowsRejected()).isEqualTo(1);
        assertThat(first.filesSkipped()).isZero();

        LoadResult again = load(WriteMode.APPEND);
        assertThat(again.succeeded()).as(again.toString()).isTrue();
        assertThat(again.rowsRead()).isZero();
        assertThat(again.filesSkipped()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM soma_meta.ingest_rejects")).isEqualTo(1);
        assertThat(count("SELECT files_skipped FROM soma_meta.ingest_loads WHERE load_id = '" + again.loadId() + "'")).isEqualTo(2);

        write("c.csv", HEADER + "9780141439600,C,3,Hardcover\n");
        LoadResult added = load(WriteMode.APPEND);
        assertThat(added.rowsRead()).as(added.toString()).isEqualTo(1);
        assertThat(added.rowsLoaded()).isEqualTo(1);
        assertThat(added.filesSkipped()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM raw.books")).isEqualTo(3);
        assertThat(warehouse.queryList(TEST, "SELECT path || ' ' || size || ' ' || length(sha256) || ' ' || (modified_at IS NOT NULL) "
                + "FROM soma_meta.ingest_files ORDER BY path", rs -> rs.getString(1))).containsExactly(
                dir.resolve("drop/a.csv").toAbsolutePath() + " " + Files.size(dir.resolve("drop/a.csv")) + " 64 true",
                dir.resolve("drop/b.csv").toAbsolutePath() + " " + Files.size(dir.resolve("drop/b.csv")) + " 64 true",
                dir.resolve("drop/c.csv").toAbsolutePath() + " " + Files.size(dir.resolve("drop/c.csv")) + " 64 true");
    }

    @Test
    void aChangedFileIsReadAgainATouchedOneIsNot() throws IOException {
        Path a = write("a.csv", HEADER + "9780306406157,A,1,Paperback\n");
        write("b.csv", HEADER + "9780804429573,B,2,Paperback\n");
        load(WriteMode.MERGE);

        // the same size, another content, the same modification time: read again
        FileTime time = Files.getLastModifiedTime(a);
        write("a.csv", HEADER + "9780306406157,Z,1,Paperback\n");
        Files.setLastModifiedTime(a, time);
        LoadResult changed = load(WriteMode.MERGE);
        assertThat(changed.rowsRead()).as(changed.toString()).isEqualTo(1);
        assertThat(changed.rowsUpdated()).isEqualTo(1);
        assertThat(changed.filesSkipped()).isEqualTo(1);
        assertThat(warehouse.queryList(TEST, "SELECT title FROM raw.books ORDER BY isbn", rs -> rs.getString(1)))
                .containsExactly("Z", "B");

        // a new modification time, the same content: skipped
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(60)));
        LoadResult touched = load(WriteMode.MERGE);
        assertThat(touched.rowsRead()).as(touched.toString()).isZero();
        assertThat(touched.filesSkipped()).isEqualTo(2);
    }

    @Test
    void aReplaceReadsEveryFile() throws IOException {
        write("a.csv", HEADER + "9780306406157,A,1,Paperback\n");
        write("b.csv", HEADER + "9780804429573,B,2,Paperback\n");
        load(WriteMode.APPEND);
        LoadResult replaced = load(WriteMode.REPLACE);
        assertThat(replaced.rowsLoaded()).as(replaced.toString()).isEqualTo(2);
        assertThat(replaced.filesSkipped()).isZero();
        assertThat(count("SELECT count(*) FROM raw.books")).isEqualTo(2);
    }

    @Test
    void aFailedLoadRemembersNoFile() throws IOException {
        write("a.csv", HEADER + "9780306406157,A,1,Paperback\n");
        assertThat(load(WriteMode.APPEND).succeeded()).isTrue();
        write("b.csv", HEADER + "9780804429573,B,2,Paperback\n");
        // The load record is the transaction's last write: refusing it fails the load after the files were remembered.
        warehouse.execute(TEST, "ALTER TABLE soma_meta.ingest_loads RENAME TO ingest_loads_ok");
        warehouse.execute(TEST, "CREATE TABLE soma_meta.ingest_loads AS SELECT * FROM soma_meta.ingest_loads_ok WHERE false");
        warehouse.execute(TEST, "ALTER TABLE soma_meta.ingest_loads ALTER COLUMN error SET NOT NULL");
        LoadResult failed = load(WriteMode.APPEND);
        assertThat(failed.succeeded()).as(failed.toString()).isFalse();
        assertThat(count("SELECT count(*) FROM soma_meta.ingest_files")).isEqualTo(1);
        warehouse.execute(TEST, "DROP TABLE soma_meta.ingest_loads");
        warehouse.execute(TEST, "ALTER TABLE soma_meta.ingest_loads_ok RENAME TO ingest_loads");
        LoadResult rerun = load(WriteMode.APPEND);
        assertThat(rerun.rowsLoaded()).as(rerun.toString()).isEqualTo(1);
        assertThat(rerun.filesSkipped()).isEqualTo(1);
    }
}
