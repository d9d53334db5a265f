package dev.soma.benchmarks.ingest;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A validated CSV load against DuckDB's bare {@code read_csv} of the same file into a table, in the
 * same file database, in the same run.
 *
 * <p>The file has {@code rows} books: id, ISBN-13, title, author, price, publication date, format;
 * one row in 1,000 breaks a rule. {@code ingest} is a full {@code Ingest.load}: every column read as
 * text and cast, the rules (ISBN check digit, required, min/max, accepted values, implicit key
 * required), duplicate detection on the key within the load and against the (empty) table, the
 * rejects, the load record, in one transaction. {@code ingestNoKey} is the same without a key.
 * {@code bareReadCsv} is {@code CREATE TABLE … AS SELECT * FROM read_csv(…)} with the typed columns
 * given, no validation. Each invocation starts from an empty table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class CsvIngestBenchmark {

    @Param("1000000")
    public long rows;

    private Path dir;
    private Path csv;
    private Warehouse warehouse;
    private SourceSpec spec;
    private SourceSpec specNoKey;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("soma-ingest-bench-");
        csv = dir.resolve("books.csv");
        writeCsv(csv, rows);
        warehouse = Warehouse.open(dir.resolve("bench.duckdb"));
        List<ColumnSpec> columns = columns();
        spec = new SourceSpec("bench.books", "raw", "books", CsvSpec.of(csv.toString()), columns, List.of("id"), null,
                WriteMode.APPEND, null);
        specNoKey = new SourceSpec("bench.books_nokey", "raw", "books_nokey", CsvSpec.of(csv.toString()), columns, List.of(),
                null, WriteMode.APPEND, null);
    }

    /** The file's columns with their rules: ISBN, required title, price range, accepted formats. */
    static List<ColumnSpec> columns() {
        return List.of(
                ColumnSpec.of("id", "BIGINT"),
                new ColumnSpec("isbn", null, null, false, null, null, null, List.of(), true),
                new ColumnSpec("title", null, null, true, null, null, null, List.of(), false),
                ColumnSpec.of("author", "VARCHAR"),
                new ColumnSpec("price", null, "DECIMAL(10,2)", false, null, BigDecimal.ZERO, new BigDecimal("1000"), List.of(), false),
                ColumnSpec.of("published", "DATE"),
                new ColumnSpec("format", null, null, false, null, null, null,
                        List.of("Hardcover", "Paperback", "eBook", "Audiobook"), false));
    }

    /** Writes {@code rows} lines; every 1,000th has a wrong ISBN check digit and a negative price. */
    static void writeCsv(Path file, long rows) throws IOException {
        String[] formats = {"Hardcover", "Paperback", "eBook", "Audiobook"};
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,isbn,title,author,price,published,format\n");
            StringBuilder line = new StringBuilder(128);
            for (long i = 1; i <= rows; i++) {
                String twelve = Long.toString(978_000_000_000L + (i * 7_919L) % 1_000_000_000L);
                int sum = 0;
                for (int d = 0; d < 12; d++) {
                    sum += (twelve.charAt(d) - '0') * (d % 2 == 0 ? 1 : 3);
                }
                int check = (10 - sum % 10) % 10;
                boolean broken = i % 1000 == 0;
                line.setLength(0);
                line.append(i).append(',').append(twelve).append(broken ? (check + 1) % 10 : check)
                        .append(",\"Title ").append(i).append(", a novel\",Author ").append(i % 5000).append(',')
                        .append(broken ? "-1.00" : (i % 5000) / 100 + "." + (i % 100 < 10 ? "0" : "") + i % 100).append(',')
                        .append(1950 + i % 70).append("-0").append(1 + i % 9).append("-1").append(i % 9).append(',')
                        .append(formats[(int) (i % 4)]).append('\n');
                out.append(line);
            }
        }
    }

    @Setup(Level.Invocation)
    public void emptyTables() {
        warehouse.execute(SqlOwner.soma("bench"), "DROP TABLE IF EXISTS raw.books; DROP TABLE IF EXISTS raw.books_nokey; "
                + "DROP TABLE IF EXISTS raw.bare; DROP SCHEMA IF EXISTS soma_meta CASCADE; CHECKPOINT");
        warehouse.createSchema("raw");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        warehouse.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            // best effort
        }
    }

    @Benchmark
    public long bareReadCsv() {
        warehouse.execute(SqlOwner.soma("bench"), "CREATE TABLE raw.bare AS SELECT * FROM read_csv("
                + "'" + csv + "', auto_detect = false, header = true, delim = ',', quote = '\"', escape = '\"', columns = "
                + "{'id': 'BIGINT', 'isbn': 'VARCHAR', 'title': 'VARCHAR', 'author': 'VARCHAR', 'price': 'DECIMAL(10,2)', "
                + "'published': 'DATE', 'format': 'VARCHAR'})");
        return warehouse.queryLong(SqlOwner.soma("bench"), "SELECT count(*) FROM raw.bare");
    }

    @Benchmark
    public long ingest() {
        return check(Ingest.builder().warehouse(warehouse).source(spec).build().load(spec.name()));
    }

    @Benchmark
    public long ingestNoKey() {
        return check(Ingest.builder().warehouse(warehouse).source(specNoKey).build().load(specNoKey.name()));
    }

    private long check(LoadResult result) {
        if (!result.succeeded() || result.rowsLoaded() + result.rowsRejected() != rows) {
            throw new IllegalStateException("unexpected load: " + result);
        }
        return result.rowsLoaded();
    }
}
