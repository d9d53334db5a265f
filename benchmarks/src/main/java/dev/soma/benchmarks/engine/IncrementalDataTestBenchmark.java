package dev.soma.benchmarks.engine;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Data tests of an incremental {@code fact_sales} ({@code rows} rows, merge on {@code transaction_id},
 * the eight tests of the SOMA project's {@code fact_sales} minus the publisher reference) when a build
 * adds {@code increment} (1%) new sales, against testing all of it:
 * <ul>
 *   <li>{@link #fullTest}: {@code soma test --full-test} on the whole table, the score to beat;</li>
 *   <li>{@link #incrementalBuild}: {@code soma build} of {@code fact_sales} after {@code increment} new
 *       source rows: the merge, then its tests on the increment. Each invocation prints
 *       {@code tests: … ms} (the tests' own time, summed; one thread, so also their wall time) and
 *       {@code model: … ms} (the merge, including keeping the increment);</li>
 *   <li>{@link #incrementalRun}: {@code soma run} of the same: the merge alone, no tests, no increment kept,
 *       for the cost of keeping it.</li>
 * </ul>
 * The table grows by {@code increment} each incremental invocation (a few percent over a run).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar IncrementalDataTestBenchmark -wi 1 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class IncrementalDataTestBenchmark {

    private static final SqlOwner SETUP = SqlOwner.loader("benchmark");
    private static final Selection FACT_SALES = Selection.of("fact_sales");

    @Param("10000000")
    public long rows;

    @Param("100000")
    public long increment;

    private Path dir;
    private Warehouse warehouse;
    private Path project;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchData.tempDir("soma-inctests-");
        warehouse = Warehouse.open(dir.resolve("bench.duckdb"));
        project = writeProject(dir.resolve("project"));
        warehouse.createSchema("app");
        warehouse.execute(SETUP, "CREATE TABLE app.books AS SELECT 'BOOK_' || lpad((range + 1)::VARCHAR, 6, '0') AS book_id,"
                + " 'Title ' || range AS title FROM range(100000)");
        warehouse.execute(SETUP, "CREATE TABLE app.sales AS " + sales(0, rows));
        next = rows;
        try (Soma soma = soma(false)) {
            RunResult built = soma.build(Selection.all());
            if (!built.isSuccess()) {
                throw new IllegalStateException("build failed: " + built.failures());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        warehouse.close();
        BenchData.delete(dir);
    }

    /** New source rows before each incremental invocation. */
    @Setup(Level.Invocation)
    public void addSales() {
        warehouse.execute(SETUP, "INSERT INTO app.sales " + sales(next, next + increment));
        next += increment;
    }

    @Benchmark
    public RunResult fullTest() {
        try (Soma soma = soma(true)) {
            return check(soma.test(FACT_SALES));
        }
    }

    @Benchmark
    public RunResult incrementalBuild() {
        try (Soma soma = soma(false)) {
            RunResult result = check(soma.build(FACT_SALES));
            Duration tests = Duration.ZERO;
            Duration model = Duration.ZERO;
            int incremental = 0;
            for (NodeResult node : result.results()) {
                if (node.node().resourceType() == ResourceType.TEST) {
                    tests = tests.plus(node.duration());
                    incremental += node.message().contains("this run added or changed") ? 1 : 0;
                } else {
                    model = model.plus(node.duration());
                }
            }
            System.out.printf("tests: %d ms (%d of %d on the increment), model: %d ms%n", tests.toMillis(), incremental,
                    result.results().size() - 1, model.toMillis());
            return result;
        }
    }

    @Benchmark
    public RunResult incrementalRun() {
        try (Soma soma = soma(false)) {
            RunResult result = check(soma.run(FACT_SALES));
            System.out.printf("model alone: %d ms%n", result.results().get(0).duration().toMillis());
            return result;
        }
    }

    private Soma soma(boolean fullTest) {
        return Soma.builder().project(project).warehouse(warehouse).threads(1).fullTest(fullTest)
                .targetDir(dir.resolve("target")).build();
    }

    private static RunResult check(RunResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException("run failed: " + result.failures());
        }
        return result;
    }

    /** Sales {@code [from, to)}: valid values, ids counting up, created_at rising with the id. */
    private static String sales(long from, long to) {
        return "SELECT 'TXN_' || lpad((range + 1)::VARCHAR, 9, '0') AS transaction_id,"
                + " 'BOOK_' || lpad((hash(range, 1) % 100000 + 1)::VARCHAR, 6, '0') AS book_id,"
                + " ['Online', 'Retail', 'Wholesale', 'Direct'][1 + (hash(range, 2) % 4)::INTEGER] AS channel,"
                + " ((hash(range, 3) % 6000)::DECIMAL(15,0) * 0.01)::DECIMAL(5,2) AS discount_percent,"
                + " ((299 + hash(range, 4) % 45000)::DECIMAL(15,0) * 0.01)::DECIMAL(12,2) AS total_amount,"
                + " ((hash(range, 5) % 2000)::DECIMAL(15,0) * 0.01)::DECIMAL(12,2) AS discount_amount,"
                + " range AS created_at FROM range(" + from + ", " + to + ")";
    }

    private static Path writeProject(Path root) {
        try {
            Files.createDirectories(root.resolve("marts"));
            Files.writeString(root.resolve("soma_project.yml"), "name: inctests\nmodels: {marts: {materialized: table, schema: marts}}\n");
            Files.writeString(root.resolve("sources.yml"), "sources:\n  - name: app\n    tables: [{name: sales}, {name: books}]\n");
            Files.writeString(root.resolve("marts/dim_books.sql"), "select book_id, title from ${source('app', 'books')}\n");
            Files.writeString(root.resolve("marts/fact_sales.sql"), """
                    <@config materialized="incremental" unique_key="transaction_id" incremental_strategy="merge"/>
                    select * from ${source('app', 'sales')}
                    <#if is_incremental()>
                    where created_at > (select max(created_at) from ${this})
                    </#if>
                    """);
            Files.writeString(root.resolve("marts/_marts.yml"), """
                    models:
                      - name: fact_sales
                        columns:
                          - name: transaction_id
                            tests: [unique, not_null]
                          - name: book_id
                            tests:
                              - relationships: {to: ref('dim_books'), field: book_id}
                          - name: channel
                            tests:
                              - accepted_values: {values: [Online, Retail, Wholesale, Direct]}
                          - name: discount_percent
                            tests:
                              - accepted_range: {min_value: 0, max_value: 60, config: {severity: warn}}
                          - name: total_amount
                            tests:
                              - not_null
                              - accepted_range: {min_value: 0}
                          - name: discount_amount
                            tests:
                              - accepted_range: {min_value: 0}
                    """);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
