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
 * Soma's overhead on top of DuckDB: building every model of the SOMA project with Soma
 * ({@code run}, full refresh) against executing the same compiled SQL over plain JDBC, one
 * {@code CREATE OR REPLACE TABLE/VIEW … AS} after another, on the same database and data.
 *
 * <p>Soma's side includes everything a user pays: loading and compiling the project, building each
 * table under a temporary name and swapping it in a transaction, counting rows, writing compiled SQL,
 * manifest and run results, and recording the run in {@code soma_meta}. {@code somaSequential} uses one
 * connection, like the baseline; {@code somaParallel} shows what the DAG scheduler adds on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class BuildOverheadBenchmark {

    @Param("1000000")
    public long sales;

    private Path dir;
    private Warehouse warehouse;
    private Path project;
    private List<String> plainStatements;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchData.tempDir("soma-build-");
        warehouse = Warehouse.open(BenchData.generate(dir, sales));
        project = BenchData.project();
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
        return Soma.builder().project(project).warehouse(warehouse).threads(threads).fullRefresh(true)
                .targetDir(dir.resolve("target")).build();
    }

    @Benchmark
    public int somaSequential() {
        try (Soma soma = soma(1)) {
            return check(soma.run(Selection.all()));
        }
    }

    @Benchmark
    public int somaParallel() {
        try (Soma soma = soma(4)) {
            return check(soma.run(Selection.all()));
        }
    }

    /** The same compiled SQL, in the same dependency order, one statement at a time on one connection. */
    @Benchmark
    public int plainJdbc() {
        for (String statement : plainStatements) {
            warehouse.execute(SqlOwner.loader("baseline"), statement);
        }
        return plainStatements.size();
    }

    private static int check(RunResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException("build failed: " + result.failures());
        }
        return result.results().size();
    }
}
