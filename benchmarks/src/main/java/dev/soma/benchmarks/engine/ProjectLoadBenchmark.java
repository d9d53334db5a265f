package dev.soma.benchmarks.engine;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Load a generated project (read files, parse YAML, render every model once for its refs and config,
 * resolve config, build and order the DAG), then compile every model (second render, write the
 * compiled SQL), as {@code soma compile} does. Single-shot: each iteration is a cold load of the
 * project by a fresh {@code Soma}, as a CLI invocation would be (the JVM itself is warm).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ProjectLoadBenchmark {

    @Param({"100", "1000", "10000"})
    public int models;

    private Path root;
    private Warehouse warehouse;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = SyntheticProject.write(Files.createTempDirectory("soma-load-"), models);
        warehouse = Warehouse.inMemory();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        warehouse.close();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Load, parse-render and order: what every command pays before it starts. */
    @Benchmark
    public int loadAndOrder() {
        try (Soma soma = Soma.builder().project(root).warehouse(warehouse).build()) {
            return soma.list(Selection.all()).size();
        }
    }

    /** Load, order, and compile every model to target/compiled: {@code soma compile}. */
    @Benchmark
    public int loadCompileAndOrder() {
        try (Soma soma = Soma.builder().project(root).warehouse(warehouse).build()) {
            return soma.compile(Selection.all()).size();
        }
    }
}
