package dev.soma.benchmarks.generator;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.GenerationResult;
import dev.soma.generator.Generator;
import dev.soma.generator.RawTable;
import org.duckdb.DuckDBAppender;
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
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Rows of {@code raw.sales} per second into a fresh file database, three ways; one operation writes
 * {@link #rows} rows (the score is nanoseconds per operation; rows/s = rows / seconds):
 * <ul>
 *   <li>{@link #generator}: the real generator ({@code rows} sales, 100,000 books, 10,000 publishers,
 *       50 inventory and campaign rows), end to end: text pools, all five tables, the swap;</li>
 *   <li>{@link #appender}: a bare DuckDB Appender on one connection writing {@code rows} rows of the
 *       same eleven column types with constant values (decimals appended unscaled, no BigDecimal): the raw insert rate with no data generation;</li>
 *   <li>{@link #rangeSql}: DuckDB alone, one {@code INSERT … SELECT … FROM range(rows)} computing
 *       comparable values (formatted ids, hashed numbers, dates, decimals, low-cardinality strings);
 *       {@code range()} is a single-threaded source, so this understates what DuckDB can do;</li>
 *   <li>{@link #bareCtas}: DuckDB at its own limit: the row numbers materialised into a table first
 *       (a table scan runs on every thread), then one {@code CREATE TABLE raw.sales AS SELECT} of the
 *       same eleven columns, each value from {@code hash} of the id, strings and decimals like the
 *       generator's (ids zero-padded, decimals from integer cents in 64-bit decimal arithmetic, strings
 *       from small lists). The id table is part of the timed work, as the generator's chunk tables are.</li>
 * </ul>
 * The generator's {@code raw.sales} alone (its share of {@link #generator}) is printed per invocation
 * as {@code sales-only: … rows/s}, to compare with {@link #bareCtas} in the same run.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar GeneratorBenchmark -rf json -rff results.json}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class GeneratorBenchmark {

    @Param("10000000")
    public long rows;

    private Path dir;
    private Path file;

    @Setup(Level.Invocation)
    public void freshDatabase() throws IOException {
        dir = Files.createTempDirectory("soma-bench");
        file = dir.resolve("bench.duckdb");
    }

    @TearDown(Level.Invocation)
    public void deleteDatabase() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void generator(Blackhole blackhole) {
        try (Warehouse warehouse = Warehouse.open(file)) {
            GenerationResult result = Generator.with(config(rows)).generate(warehouse);
            double salesSeconds = result.durations().get(RawTable.SALES).toNanos() / 1e9;
            System.out.printf("sales-only: %.0f rows/s (%.2f s for %,d rows; all five tables %.2f s)%n",
                    rows / salesSeconds, salesSeconds, rows, result.duration().toNanos() / 1e9);
            blackhole.consume(result.rows(RawTable.SALES));
        }
    }

    @Benchmark
    public void appender(Blackhole blackhole) {
        try (Warehouse warehouse = Warehouse.open(file)) {
            createSalesTable(warehouse);
            LocalDate date = LocalDate.of(2025, 1, 1);
            LocalDateTime createdAt = LocalDateTime.of(2025, 1, 1, 10, 0);
            long appended = warehouse.append(SqlOwner.loader("benchmark"), "raw", "sales", (DuckDBAppender appender) -> {
                for (long i = 0; i < rows; i++) {
                    appender.beginRow()
                            .append("TXN_00000001").append("BOOK_000001").append(date).append(3)
                            // unscaled decimals: 12.99 DECIMAL(10,2), 5.00 DECIMAL(5,2), 12.34 DECIMAL(12,2)
                            .appendDecimal(1299L).appendDecimal(500).appendDecimal(1234L)
                            .append("Online").append("Individual").append("North").append(createdAt)
                            .endRow();
                }
                return rows;
            });
            blackhole.consume(appended);
        }
    }

    @Benchmark
    public void rangeSql(Blackhole blackhole) {
        try (Warehouse warehouse = Warehouse.open(file)) {
            createSalesTable(warehouse);
            long inserted = warehouse.execute(SqlOwner.loader("benchmark"), "INSERT INTO raw.sales SELECT"
                    + " 'TXN_' || lpad((i + 1)::VARCHAR, 8, '0'),"
                    + " 'BOOK_' || lpad((hash(i, 1) % 100000 + 1)::VARCHAR, 6, '0'),"
                    + " DATE '2023-07-01' + (hash(i, 2) % 730)::INTEGER,"
                    + " (1 + hash(i, 3) % 5)::INTEGER,"
                    + " ((299 + hash(i, 4) % 4500) / 100)::DECIMAL(10,2),"
                    + " ((hash(i, 5) % 5500) / 100)::DECIMAL(5,2),"
                    + " ((299 + hash(i, 6) % 45000) / 100)::DECIMAL(12,2),"
                    + " ['Online', 'Retail', 'Wholesale', 'Direct'][1 + (hash(i, 7) % 4)::INTEGER],"
                    + " ['Individual', 'Business', 'Educational'][1 + (hash(i, 8) % 3)::INTEGER],"
                    + " ['North', 'South', 'East', 'West', 'Central'][1 + (hash(i, 9) % 5)::INTEGER],"
                    + " TIMESTAMP '2023-07-01 08:00:00' + to_seconds((hash(i, 10) % 63072000)::BIGINT)"
                    + " FROM range(" + rows + ") r(i)");
            blackhole.consume(inserted);
        }
    }

    @Benchmark
    public void bareCtas(Blackhole blackhole) {
        try (Warehouse warehouse = Warehouse.open(file)) {
            blackhole.consume(writeBareCtas(warehouse, rows));
        }
    }

    /** The generator's configuration for {@code rows} sales: 100,000 books, 10,000 publishers, 50 inventory and campaign rows. */
    static GenerationConfig config(long rows) {
        return GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30))
                .withSales(rows).withBooks(100_000).withPublishers(10_000).withInventory(50).withCampaigns(50);
    }

    /**
     * DuckDB at its own limit ({@link #bareCtas}): the row numbers into a table, then one {@code CREATE TABLE
     * raw.sales AS SELECT} of the eleven columns from {@code hash(id, k)}; returns the rows written.
     */
    static long writeBareCtas(Warehouse warehouse, long rows) {
        warehouse.createSchema("raw");
        SqlOwner owner = SqlOwner.loader("benchmark");
        warehouse.execute(owner, "CREATE TABLE raw.bench_ids AS SELECT range AS i FROM range(" + rows + ")");
        warehouse.execute(owner, "CREATE TABLE raw.sales AS SELECT"
                + " 'TXN_' || lpad((i + 1)::VARCHAR, 8, '0') AS transaction_id,"
                + " 'BOOK_' || lpad((hash(i, 1) % 100000 + 1)::VARCHAR, 6, '0') AS book_id,"
                + " DATE '2023-07-01' + (hash(i, 2) % 730)::INTEGER AS sale_date,"
                + " (1 + hash(i, 3) % 5)::INTEGER AS quantity,"
                + " ((299 + hash(i, 4) % 4500)::DECIMAL(15,0) * 0.01)::DECIMAL(10,2) AS unit_price,"
                + " ((hash(i, 5) % 5500)::DECIMAL(15,0) * 0.01)::DECIMAL(5,2) AS discount_percent,"
                + " ((299 + hash(i, 6) % 45000)::DECIMAL(15,0) * 0.01)::DECIMAL(12,2) AS total_amount,"
                + " ['Online', 'Retail', 'Wholesale', 'Direct'][1 + (hash(i, 7) % 4)::INTEGER] AS channel,"
                + " ['Individual', 'Business', 'Educational'][1 + (hash(i, 8) % 3)::INTEGER] AS customer_type,"
                + " ['North', 'South', 'East', 'West', 'Central'][1 + (hash(i, 9) % 5)::INTEGER] AS region,"
                + " make_timestamp(((1688169600 + hash(i, 10) % 63072000) * 1000000)::BIGINT) AS created_at"
                + " FROM raw.bench_ids");
        return warehouse.queryLong(owner, "SELECT count(*) FROM raw.sales");
    }

    private static void createSalesTable(Warehouse warehouse) {
        warehouse.createSchema("raw");
        warehouse.execute(SqlOwner.loader("benchmark"), "CREATE TABLE raw.sales (" + RawTable.SALES.columnDefinitions() + ")");
    }
}
