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

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-model overhead: {@code soma run} of a generated project of trivial views (see
 * {@link SyntheticProject}) against the same {@code CREATE OR REPLACE VIEW} statements over plain
 * JDBC. (Soma − JDBC) / models is what Soma costs per model: loading, compiling, scheduling,
 * the transaction, the compiled file, the run records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class PerModelOverheadBenchmark {

    @Param("1000")
    public int models;

    private Path dir;
    private Warehouse warehouse;
    private Path project;
    private List<String> plainStatements;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchData.tempDir("soma-views-");
        project = SyntheticProject.write(dir.resolve("project"), models);
        warehouse = Warehouse.open(dir.resolve("views.duckdb"));
        warehouse.createSchema("raw");
        warehouse.execute(SqlOwner.loader("setup"), "CREATE TABLE raw.events AS SELECT range AS id, range % 7 AS value FROM range(1000)");
        try (Soma soma = soma(1)) {
            plainStatements = BenchData.plainStatements(soma, warehouse);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        warehouse.close();
        BenchData.delete(dir);
    }

    private Soma soma(int threads) {
        return Soma.builder().project(project).warehouse(warehouse).threads(threads).targetDir(dir.resolve("target")).build();
    }

    @Benchmark
    public int soma() {
        try (Soma soma = soma(1)) {
            RunResult result = soma.run(Selection.all());
            if (!result.isSuccess()) {
                throw new IllegalStateException("run failed: " + result.failures().get(0).message());
            }
            return result.results().size();
        }
    }

    @Benchmark
    public int plainJdbc() {
        for (String statement : plainStatements) {
            warehouse.execute(SqlOwner.loader("baseline"), statement);
        }
        return plainStatements.size();
    }
}
