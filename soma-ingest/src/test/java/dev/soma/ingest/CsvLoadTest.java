package dev.soma.ingest;

import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.CursorSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CSV loads on real files: quoting, encodings, broken lines, rules, duplicates, cursors, modes. */
class CsvLoadTest extends WarehouseTest {

    static List<ColumnSpec> bookColumns() {
        return List.of(
                new ColumnSpec("isbn", null, null, false, null, null, null, List.of(), true),
                new ColumnSpec("title", null, null, true, null, null, null, List.of(), false),
                new ColumnSpec("price", null, "DECIMAL(10,2)", false, null, BigDecimal.ZERO, new BigDecimal("500"), List.of(), false),
                new ColumnSpec("format", null, null, false, null, null, null, List.of("Hardcover", "Paperback"), false));
    }

    private SourceSpec books(String file) {
        return new SourceSpec("raw.books", "raw", "books", CsvSpec.of(file), bookColumns(), List.of("isbn"), null,
                WriteMode.APPEND, null);
    }

    private Ingest ingest(SourceSpec... specs) {
        Ingest.Builder builder = Ingest.builder().warehouse(warehouse).baseDir(dir);
        for (SourceSpec spec : specs) {
            builder.source(spec);
        }
        return builder.build();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private String text(String sql) {
        List<String> rows = warehouse.queryList(TEST, sql, rs -> rs.getString(1));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private long count(String sql) {
        return warehouse.queryLong(TEST, sql);
    }

    @Test
    void validRowsLoadAndEveryBrokenRuleIsAReject() throws IOException {
        write("books.csv", """
                isbn,title,price,format
                978-0-306-40615-7,"Quoted, with comma",12.50,Paperback
                0306406152,Ten digits,9.99,Hardcover
                9780306406158,Bad check digit,abc,Scroll
                ,No isbn,-1,Paperback
                """);
        LoadResult result = ingest(books("books.csv")).load("raw.books");
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.rowsRead()).isEqualTo(4);
        assertThat(result.rowsLoaded()).isEqualTo(1);
        assertThat(result.rowsDuplicate()).isEqualTo(1);   // the ISBN-10 is the same book as the ISBN-13
        assertThat(result.rowsRejected()).isEqualTo(2);
        assertThat(text("SELECT isbn || '|' || title || '|' || price || '|' || _load_id FROM raw.books")).isEqualTo("9780306406157|Quoted, with comma|12.50|" + result.loadId());
        List<RejectedRow> rejects = ingest(books("books.csv")).rejects("raw.books", 10);
        assertThat(rejects).hasSize(2);
        assertThat(rejects.get(0).record()).isEqualTo(3);
        assertThat(rejects.get(0).reasons()).containsExactly(
                "isbn: '9780306406158' is not an ISBN-10 or ISBN-13 with a valid check digit",
                "price: 'abc' is not a DECIMAL(10,2)",
                "format: 'Scroll' is not one of Hardcover, Paperback");
        // the reader rejected the line for its price; the line is re-read as text so every rule is reported
        assertThat(rejects.get(0).raw()).isEqualTo("9780306406158,Bad check digit,abc,Scroll");
        assertThat(rejects.get(0).line()).isEqualTo(4);
        assertThat(rejects.get(1).raw()).contains("\"title\":\"No isbn\"");
        assertThat(rejects.get(1).reasons()).containsExactly("isbn: missing, but it is part of the key",
                "price: -1.00 is less than the minimum 0");
    }

    @Test
    void isbn10IsNormalisedTo13() throws IOException {
        write("books.csv", "isbn,title,price,format\n0-306-40615-2,Ten,1,Paperback\n080442957X,With X,2,Paperback\n");
        LoadResult result = ingest(books("books.csv")).load("books");
        assertThat(result.rowsLoaded()).isEqualTo(2);
        assertThat(warehouse.queryList(TEST, "SELECT isbn FROM raw.books ORDER BY isbn", rs -> rs.getString(1)))
                .containsExactly("9780306406157", "9780804429573");
    }

    @Test
    void embeddedNewlinesBomAndWrongColumnCounts() throws IOException {
        Files.write(dir.resolve("books.csv"), ("\uFEFFisbn,title,price,format\n"
                + "9780306406157,\"Two\nlines\",1,Paperback\n"
                + "9780804429573,Too,many,columns,here\n"
                + "9781861972712\n"
                + "9780141439600,\"Fine \"\"quoted\"\"\",3,Hardcover\n").getBytes(StandardCharsets.UTF_8));
        LoadResult result = ingest(books("books.csv")).load("books");
        assertThat(result.rowsRead()).isEqualTo(4);
        assertThat(result.rowsLoaded()).isEqualTo(2);
        assertThat(result.rowsRejected()).isEqualTo(2);
        assertThat(warehouse.queryList(TEST, "SELECT title FROM raw.books ORDER BY isbn", rs -> rs.getString(1)))
                .containsExactly("Fine \"quoted\"", "Two\nlines");
        List<RejectedRow> rejects = ingest(books("books.csv")).rejects("books", 10);
        // DuckDB counts records, not physical lines: the embedded newline does not shift the line number
        assertThat(rejects).extracting(RejectedRow::line).containsExactly(3L, 4L);
        assertThat(rejects).extracting(RejectedRow::record).containsExactly(2L, 3L);
        assertThat(rejects.get(0).raw()).isEqualTo("9780804429573,Too,many,columns,here");
        assertThat(rejects.get(0).reasons()).anyMatch(r -> r.startsWith("too many columns"));
        assertThat(rejects.get(1).reasons().get(0)).startsWith("missing columns");
    }

    @Test
    void recordNumbersCountTheReaderRejectsBeforeThem() throws IOException {
        write("books.csv", "isbn,title,price,format\n9780306406157,A,1,Paperback\nbroken line\n"
                + "9780804429573,B,x,Paperback\nbroken,again\n9780141439600,C,y,Paperback\n");
        ingest(books("books.csv")).load("books");
        List<RejectedRow> rejects = ingest(books("books.csv")).rejects("books", 10);
        assertThat(rejects).extracting(RejectedRow::record).containsExactlyInAnyOrder(2L, 3L, 4L, 5L);
        assertThat(rejects.stream().filter(r -> r.record() == 5L).findFirst().orElseThrow().reasons())
                .containsExactly("price: 'y' is not a DECIMAL(10,2)");
    }

    @Test
    void badEncodingIsARejectWithItsLine() throws IOException {
        byte[] bad = "isbn,title,price,format\n9780306406157,Caf\u00e9,1,Paperback\n9780804429573,Bad ".getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[bad.length + 13];
        System.arraycopy(bad, 0, file, 0, bad.length);
        System.arraycopy(new byte[]{(byte) 0xff, (byte) 0xfe}, 0, file, bad.length, 2);
        System.arraycopy(",2,Paperback\n".getBytes(StandardCharsets.UTF_8), 0, file, bad.length + 2, 11);
        Files.write(dir.resolve("books.csv"), java.util.Arrays.copyOf(file, bad.length + 13));
        LoadResult result = ingest(books("books.csv")).load("books");
        assertThat(result.rowsLoaded()).isEqualTo(1);
        assertThat(result.rowsRejected()).isEqualTo(1);
        RejectedRow reject = ingest(books("books.csv")).rejects("books", 10).get(0);
        assertThat(reject.line()).isEqualTo(3);
        assertThat(reject.reasons().get(0)).startsWith("invalid encoding");
    }

    @Test
    void latin1FilesAreReadWhenDeclared() throws IOException {
        Files.write(dir.resolve("books.csv"), "isbn,title,price,format\n9780306406157,Caf\u00e9,1,Paperback\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        SourceSpec spec = books("books.csv").withKind(new CsvSpec("books.csv", null, true, "latin-1", null, null));
        assertThat(ingest(spec).load("books").rowsLoaded()).isEqualTo(1);
        assertThat(text("SELECT title FROM raw.books"))
                .isEqualTo("Caf\u00e9");
    }

    @Test
    void emptyFileAndHeaderOnlyLoadNothingAndSucceed() throws IOException {
        write("empty.csv", "");
        write("header.csv", "isbn,title,price,format\n");
        LoadResult empty = ingest(books("empty.csv")).load("books");
        assertThat(empty.succeeded()).as(empty.toString()).isTrue();
        assertThat(empty.rowsRead()).isZero();
        LoadResult header = ingest(books("header.csv")).load("books");
        assertThat(header.succeeded()).as(header.toString()).isTrue();
        assertThat(header.rowsRead()).isZero();
        assertThat(count("SELECT count(*) FROM raw.books")).isZero();
        assertThat(count("SELECT count(*) FROM soma_meta.ingest_loads WHERE status = 'succeeded'")).isEqualTo(2);
    }

    @Test
    void theSameRowsTwiceLoadOnceAndCountDuplicates() throws IOException {
        String rows = "isbn,title,price,format\n9780306406157,A,1,Paperback\n9780804429573,B,2,Paperback\n"
                + "9780306406157,A again,1,Paperback\n";
        write("books.csv", rows);
        Ingest ingest = ingest(books("books.csv"));
        LoadResult first = ingest.load("books");
        assertThat(first.rowsLoaded()).isEqualTo(2);
        assertThat(first.rowsDuplicate()).isEqualTo(1);
        LoadResult unchanged = ingest.load("books");       // the file as loaded before: not read again
        assertThat(unchanged.rowsRead()).isZero();
        assertThat(unchanged.filesSkipped()).isEqualTo(1);
        write("books.csv", rows + "\n");                   // the same rows in a changed file: read again
        LoadResult second = ingest.load("books");
        assertThat(second.rowsLoaded()).isZero();
        assertThat(second.rowsDuplicate()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM raw.books")).isEqualTo(2);
        assertThat(text("SELECT title FROM raw.books WHERE isbn = '9780306406157'")).isEqualTo("A");
        assertThat(ingest.loads("books", 10)).hasSize(3);
    }

    @Test
    void mergeUpdatesChangedRowsAndReplaceReplacesTheTable() throws IOException {
        write("v1.csv", "isbn,title,price,format\n9780306406157,A,1,Paperback\n9780804429573,B,2,Paperback\n");
        write("v2.csv", "isbn,title,price,format\n9780306406157,A,1,Paperback\n9780804429573,B2,3,Paperback\n"
                + "9780141439600,C,4,Hardcover\n");
        SourceSpec merge = books("v1.csv").withMode(WriteMode.MERGE);
        assertThat(ingest(merge).load("books").rowsLoaded()).isEqualTo(2);
        LoadResult second = ingest(merge.withKind(CsvSpec.of("v2.csv"))).load("books");
        assertThat(second.rowsLoaded()).isEqualTo(1);
        assertThat(second.rowsUpdated()).isEqualTo(1);
        assertThat(second.rowsDuplicate()).isEqualTo(1);
        assertThat(warehouse.queryList(TEST, "SELECT title FROM raw.books ORDER BY isbn", rs -> rs.getString(1)))
                .containsExactly("C", "A", "B2");
        LoadResult replaced = ingest(merge.withMode(WriteMode.REPLACE)).load("books");
        assertThat(replaced.rowsLoaded()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM raw.books")).isEqualTo(2);
    }

    @Test
    void aCursorSkipsOldRowsAndDropsBoundaryRowsByKey() throws IOException {
        List<ColumnSpec> columns = List.of(ColumnSpec.of("id", "INTEGER"), ColumnSpec.of("updated", "DATE"));
        SourceSpec spec = new SourceSpec("api.events", "raw", "events", CsvSpec.of("events.csv"), columns, List.of("id"),
                new CursorSpec("updated", "2024-01-02", null), WriteMode.APPEND, null);
        write("events.csv", "id,updated\n1,2024-01-01\n2,2024-01-02\n3,2024-01-03\n");
        Ingest ingest = ingest(spec);
        LoadResult first = ingest.load("events");
        assertThat(first.rowsSkipped()).isEqualTo(1);
        assertThat(first.rowsLoaded()).isEqualTo(2);
        assertThat(first.cursorFrom()).isEqualTo("2024-01-02");
        assertThat(first.cursorTo()).isEqualTo("2024-01-03");
        write("events.csv", "id,updated\n3,2024-01-03\n4,2024-01-03\n5,2024-01-04\n");
        LoadResult second = ingest.load("events");
        assertThat(second.rowsLoaded()).isEqualTo(2);
        assertThat(second.rowsDuplicate()).isEqualTo(1);
        assertThat(second.cursorTo()).isEqualTo("2024-01-04");
        assertThat(ingest.cursor("events")).contains("2024-01-04");
        assertThat(count("SELECT count(*) FROM raw.events")).isEqualTo(4);
    }

    @Test
    void repeatedIntegerKeysKeepTheirFirstRecordInANewTableAndAnExistingOne() throws IOException {
        List<ColumnSpec> columns = List.of(ColumnSpec.of("id", "BIGINT"), ColumnSpec.of("v", "VARCHAR"));
        SourceSpec spec = new SourceSpec("raw.keyed", "raw", "keyed", CsvSpec.of("keyed.csv"), columns, List.of("id"), null,
                WriteMode.APPEND, null);
        // Narrow range (the bitmap decides), one repeat.
        write("keyed.csv", "id,v\n3,a\n1,b\n3,c\n2,d\n");
        LoadResult first = ingest(spec).load("keyed");
        assertThat(first.rowsLoaded()).isEqualTo(3);
        assertThat(first.rowsDuplicate()).isEqualTo(1);
        assertThat(warehouse.queryList(TEST, "SELECT id || v FROM raw.keyed ORDER BY id", rs -> rs.getString(1)))
                .containsExactly("1b", "2d", "3a");
        // Into the existing table: a repeat within the file, a key already loaded, and new distinct keys.
        write("keyed.csv", "id,v\n5,e\n4,f\n5,g\n2,h\n");
        LoadResult second = ingest(spec).load("keyed");
        assertThat(second.rowsLoaded()).isEqualTo(2);
        assertThat(second.rowsDuplicate()).isEqualTo(2);
        assertThat(warehouse.queryList(TEST, "SELECT id || v FROM raw.keyed ORDER BY id", rs -> rs.getString(1)))
                .containsExactly("1b", "2d", "3a", "4f", "5e");
        // Distinct keys all loaded, in a new table, with a range too wide for the bitmap too.
        write("wide.csv", "id,v\n1,a\n9000000000,b\n2,c\n");
        SourceSpec wide = new SourceSpec("raw.wide", "raw", "wide", CsvSpec.of("wide.csv"), columns, List.of("id"), null,
                WriteMode.APPEND, null);
        LoadResult widely = ingest(wide).load("wide");
        assertThat(widely.rowsLoaded()).isEqualTo(3);
        assertThat(widely.rowsDuplicate()).isZero();
        write("wide.csv", "id,v\n1,a\n9000000000,b\n9000000000,c\n");
        assertThat(ingest(wide.withMode(WriteMode.REPLACE)).load("wide").rowsDuplicate()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in/*.csv", "in/a.csv"})
    void aNewTableGetsTheSameRowsAndRejectsAsAnExistingOne(String path) throws IOException {
        // A load into a new table keeps only a flag per rejected row and spells the reasons out afterwards; a load into
        // an existing table checks into a temp table with the reasons. Both must load and reject exactly the same.
        Files.createDirectories(dir.resolve("in"));
        Files.createDirectories(dir.resolve("hdr"));
        String header = "isbn,title,price,format\n";
        write("in/a.csv", header + """
                978-0-306-40615-7,"Quoted, with comma",12.50,Paperback
                0306406152,Ten digits,9.99,Hardcover
                080442957X,Ten with X,1,Paperback
                9780306406158,Bad check digit,abc,Scroll
                ,No isbn,-1,Paperback
                978 0 8044 2957 3,  ,2,Paperback
                97803064061,Short,3,eBook
                978030640615x,Letter,600,Hardcover
                9791234567896,Prefix 979,"",Paperback
                9780306406157,too,many,fields,here
                """);
        write("in/b.csv", header + """
                9780804429573,B one,2,Paperback
                0-8044-2957-X,B dup of ten,2,Paperback
                9780000000002,B bad,-5,Audiobook
                12345,B short,oops,Hardcover
                """);
        write("hdr/empty.csv", header);
        // Two files (the staged rows carry their file) and one (they do not: the file is known).
        SourceSpec fresh = new SourceSpec("raw.fresh", "raw", "fresh", CsvSpec.of(path), bookColumns(), List.of("isbn"),
                null, WriteMode.APPEND, null);
        SourceSpec existing = new SourceSpec("raw.existing", "raw", "existing", CsvSpec.of("hdr/*.csv"), bookColumns(),
                List.of("isbn"), null, WriteMode.APPEND, null);
        LoadResult created = ingest(existing).load("raw.existing");
        assertThat(created.rowsRead()).isZero();
        LoadResult intoNew = ingest(fresh).load("raw.fresh");
        LoadResult intoExisting = ingest(existing.withKind(CsvSpec.of(path))).load("raw.existing");
        assertThat(intoNew.succeeded()).as(intoNew.toString()).isTrue();
        assertThat(List.of(intoNew.rowsRead(), intoNew.rowsLoaded(), intoNew.rowsRejected(), intoNew.rowsDuplicate()))
                .isEqualTo(List.of(intoExisting.rowsRead(), intoExisting.rowsLoaded(), intoExisting.rowsRejected(),
                        intoExisting.rowsDuplicate()));
        assertThat(intoNew.rowsRejected()).isGreaterThanOrEqualTo(6);
        String rows = "SELECT string_agg(isbn || '|' || title || '|' || price || '|' || format, chr(10) ORDER BY isbn) FROM raw.";
        assertThat(text(rows + "fresh")).isEqualTo(text(rows + "existing")).contains("9780306406157");
        String rejects = "SELECT string_agg(regexp_replace(file, '.*/', '') || '|' || coalesce(line::VARCHAR, '') || '|' || record || '|' "
                + "|| raw_record || '|' || array_to_string(reasons, ';'), chr(10) ORDER BY file, record) FROM soma_meta.ingest_rejects "
                + "WHERE load_id = ";
        String fromNew = text(rejects + "'" + intoNew.loadId() + "'");
        assertThat(fromNew).isEqualTo(text(rejects + "'" + intoExisting.loadId() + "'"));
        assertThat(fromNew).contains("a.csv|5|4|", "a.csv||5|", "a.csv|11|10|", "is not an ISBN-10 or ISBN-13 with a valid check digit",
                "price: 'abc' is not a DECIMAL(10,2)", "format: 'Scroll' is not one of Hardcover, Paperback",
                "title: missing, but it is required");
        assertThat(fromNew.contains("b.csv||3|")).isEqualTo(path.contains("*"));
    }

    @Test
    void aMissingFileNamesTheDeclarationAndThePath() {
        assertThatThrownBy(() -> ingest(books("nowhere/*.csv")).load("books"))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("source raw.books: csv path nowhere/*.csv matches no file")
                .hasMessageContaining("put the file there or fix csv.path");
    }

    @Test
    void aGlobReadsEveryFile() throws IOException {
        Files.createDirectories(dir.resolve("drop"));
        write("drop/a.csv", "isbn,title,price,format\n9780306406157,A,1,Paperback\n");
        write("drop/b.csv", "isbn,title,price,format\n9780804429573,B,2,Paperback\n");
        LoadResult result = ingest(books("drop/*.csv")).load("books");
        assertThat(result.rowsLoaded()).isEqualTo(2);
    }

    @Test
    void aMillionRows() throws IOException {
        Path file = dir.resolve("big.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,name,amount\n");
            for (int i = 1; i <= 1_000_000; i++) {
                out.write(i + ",name " + i + "," + (i % 1000 == 0 ? "oops" : Integer.toString(i % 500)) + "\n");
            }
        }
        List<ColumnSpec> columns = List.of(ColumnSpec.of("id", "BIGINT"), new ColumnSpec("name", null, null, true,
                "name \\d+", null, null, List.of(), false), ColumnSpec.of("amount", "INTEGER"));
        SourceSpec spec = new SourceSpec("raw.big", "raw", "big", CsvSpec.of("big.csv"), columns, List.of("id"), null,
                WriteMode.APPEND, null);
        LoadResult result = ingest(spec).load("big");
        assertThat(result.rowsRead()).isEqualTo(1_000_000);
        assertThat(result.rowsRejected()).isEqualTo(1_000);
        assertThat(result.rowsLoaded()).isEqualTo(999_000);
        assertThat(count("SELECT count(*) FROM raw.big")).isEqualTo(999_000);
        assertThat(count("SELECT min(record) FROM soma_meta.ingest_rejects")).isEqualTo(1000);
    }
}
