package dev.soma.benchmarks.engine;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * Data tests with column checks folded into shared scans against one query per test, same tests,
 * same results:
 * <ul>
 *   <li>{@code project*}: every test of the SOMA project (133) after building it on {@code sales} sales;</li>
 *   <li>{@code wide*}: 30 column tests (not_null, accepted_range, accepted_values on 10 columns) on a
 *       {@code rows}-row table, and the same 30 through a staging-style view (casts and a join).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class DataTestBenchmark {

    /** The data's as_of is 2026-11-01; freshness is judged the day after. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC);

    @Param("1000000")
    public long sales;

    @Param("10000000")
    public long rows;

    private Path dir;
    private Warehouse warehouse;
    private Path project;
    private Path wide;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchData.tempDir("soma-tests-");
        warehouse = Warehouse.open(BenchData.generate(dir, sales));
        project = BenchData.project();
        try (Soma soma = Soma.builder().project(project).warehouse(warehouse).fullRefresh(true)
                .targetDir(dir.resolve("target")).clock(CLOCK).build()) {
            RunResult built = soma.run(Selection.all());
            if (!built.isSuccess()) {
                throw new IllegalStateException("build failed: " + built.failures());
            }
        }
        wide = writeWideProject(dir.resolve("wide"));
        warehouse.createSchema("wide");
        warehouse.execute(SqlOwner.loader("setup"), "CREATE OR REPLACE TABLE wide.facts AS SELECT range AS id, "
                + "range % 1000 AS c1, range % 997 AS c2, range % 991 AS c3, range % 983 AS c4, range % 977 AS c5, "
                + "(range % 5)::VARCHAR AS s1, (range % 7)::VARCHAR AS s2, (range % 3)::VARCHAR AS s3, "
                + "(range % 11)::VARCHAR AS s4, (range % 13)::VARCHAR AS s5, range % 100 AS lookup FROM range(" + rows + ")");
        warehouse.execute(SqlOwner.loader("setup"), "CREATE OR REPLACE TABLE wide.lookup AS SELECT range AS lookup, "
                + "'name ' || range AS name FROM range(100)");
        try (Soma soma = Soma.builder().project(wide).warehouse(warehouse).targetDir(dir.resolve("target-wide")).build()) {
            if (!soma.run(Selection.all()).isSuccess()) {
                throw new IllegalStateException("the wide project did not build");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        warehouse.close();
        BenchData.delete(dir);
    }

    /** A project with the wide table as a source, a staging view over it, and 30 tests on each. */
    private static Path writeWideProject(Path root) {
        StringBuilder columns = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            columns.append("      - name: c").append(i).append("\n        tests: [not_null, {accepted_range: {min_value: 0, max_value: 1000}}")
                    .append(", {expression_is_true: {expression: '< 1000'}}]\n");
            columns.append("      - name: s").append(i).append("\n        tests: [not_null, {accepted_values: {values: ")
                    .append("['0','1','2','3','4','5','6','7','8','9','10','11','12']}}, {expression_is_true: {expression: \"<> 'x'\"}}]\n");
        }
        try {
            Files.createDirectories(root.resolve("staging"));
            Files.writeString(root.resolve("soma_project.yml"), "name: wide\nmodels: {staging: {materialized: view, schema: wide}}\n");
            Files.writeString(root.resolve("sources.yml"), "sources:\n  - name: wide\n    tables:\n      - name: facts\n        columns:\n"
                    + columns.toString().replace("      - name", "          - name").replace("        tests", "            tests")
                    + "      - name: lookup\n");
            Files.writeString(root.resolve("staging/stg_facts.sql"), "select f.id, f.c1::BIGINT as c1, f.c2::BIGINT as c2, "
                    + "f.c3::BIGINT as c3, f.c4::BIGINT as c4, f.c5::BIGINT as c5, trim(f.s1) as s1, trim(f.s2) as s2, "
                    + "trim(f.s3) as s3, trim(f.s4) as s4, trim(f.s5) as s5, l.name\n"
                    + "from ${source('wide', 'facts')} f join ${source('wide', 'lookup')} l using (lookup)\n");
            Files.writeString(root.resolve("staging/_staging.yml"), "models:\n  - name: stg_facts\n    columns:\n" + columns);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunResult test(Path projectDir, boolean fold, String select) {
        try (Soma soma = Soma.builder().project(projectDir).warehouse(warehouse).foldTests(fold)
                .targetDir(dir.resolve("target-" + projectDir.getFileName())).clock(CLOCK).build()) {
            RunResult result = soma.test(Selection.of(select));
            if (!result.isSuccess()) {
                throw new IllegalStateException("tests failed: " + result.failures().get(0).message());
            }
            return result;
        }
    }

    @Benchmark
    public RunResult projectFolded() {
        return test(project, true, "");
    }

    @Benchmark
    public RunResult projectOneQueryPerTest() {
        return test(project, false, "");
    }

    @Benchmark
    public RunResult wideTableFolded() {
        return test(wide, true, "source:wide");
    }

    @Benchmark
    public RunResult wideTableOneQueryPerTest() {
        return test(wide, false, "source:wide");
    }

    @Benchmark
    public RunResult wideViewFolded() {
        return test(wide, true, "stg_facts");
    }

    @Benchmark
    public RunResult wideViewOneQueryPerTest() {
        return test(wide, false, "stg_facts");
    }
}
