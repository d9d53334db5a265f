package dev.soma.ingest;

import dev.soma.core.runstore.TableReplacements;
import dev.soma.core.warehouse.Session;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load in replace mode is a replacement of its table ({@link TableReplacements}), recorded in the load's own
 * transaction, so incremental models over it rebuild in full; appends and merges are not.
 */
class ReplaceModeTest extends WarehouseTest {

    private SourceSpec books(WriteMode mode) {
        return new SourceSpec("raw.books", "raw", "books", CsvSpec.of("books.csv"), CsvLoadTest.bookColumns(),
                List.of("isbn"), null, mode, null);
    }

    private LoadResult load(SourceSpec spec) {
        return Ingest.builder().warehouse(warehouse).baseDir(dir).source(spec).build().load(spec.name());
    }

    private void write(String text) throws IOException {
        Files.writeString(dir.resolve("books.csv"), text, StandardCharsets.UTF_8);
    }

    private Map<String, Long> replacements() {
        try (Session session = warehouse.openSession()) {
            return TableReplacements.latest(session);
        }
    }

    @Test
    void aReplaceLoadRecordsAReplacementAndAnAppendOrMergeDoesNot() throws IOException {
        write("isbn,title,price,format\n9780306406157,A,1,Paperback\n");
        assertThat(load(books(WriteMode.APPEND)).succeeded()).isTrue();
        write("isbn,title,price,format\n9780804429573,B,1,Paperback\n");
        assertThat(load(books(WriteMode.MERGE)).succeeded()).isTrue();
        assertThat(replacements()).doesNotContainKey("raw.books");

        write("isbn,title,price,format\n9780141439600,C,1,Paperback\n");
        assertThat(load(books(WriteMode.REPLACE)).succeeded()).isTrue();
        long first = replacements().get("raw.books");
        write("isbn,title,price,format\n9780306406157,A,1,Paperback\n");
        assertThat(load(books(WriteMode.REPLACE)).succeeded()).isTrue();
        assertThat(replacements().get("raw.books")).isGreaterThan(first);
        assertThat(warehouse.queryList(TEST, "SELECT replaced_by FROM soma_meta.table_replacements", rs -> rs.getString(1)))
                .containsOnly("soma ingest");
    }

    @Test
    void aReplaceLoadThatFailsInItsTransactionRecordsNoReplacement() throws IOException {
        write("isbn,title,price,format\n9780306406157,A,1,Paperback\n");
        assertThat(load(books(WriteMode.REPLACE)).succeeded()).isTrue();
        long before = replacements().get("raw.books");
        // The load record is the transaction's last write: refusing it fails the load after the table was replaced.
        warehouse.execute(TEST, """
                CREATE OR REPLACE TABLE soma_meta.ingest_loads (
                    load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, kind VARCHAR, status VARCHAR NOT NULL,
                    started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,
                    rows_read BIGINT, rows_loaded BIGINT, rows_updated BIGINT, rows_rejected BIGINT,
                    rows_duplicate BIGINT, rows_skipped BIGINT, cursor_from VARCHAR, cursor_to VARCHAR, error VARCHAR,
                    files_skipped BIGINT,
                    CHECK (status <> 'succeeded'))""");
        write("isbn,title,price,format\n9780804429573,B,1,Paperback\n");
        LoadResult failed = load(books(WriteMode.REPLACE));
        assertThat(failed.succeeded()).as(failed.toString()).isFalse();
        assertThat(replacements().get("raw.books")).isEqualTo(before);
        assertThat(warehouse.queryList(TEST, "SELECT isbn FROM raw.books", rs -> rs.getString(1))).containsExactly("9780306406157");
    }
}
