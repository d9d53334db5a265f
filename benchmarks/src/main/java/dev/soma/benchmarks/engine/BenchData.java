package dev.soma.benchmarks.engine;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import dev.soma.models.Soma;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.Selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Shared set-up of the engine benchmarks: where the project is, generated data, cleaning up. */
final class BenchData {

    private BenchData() {
    }

    /** The bundled SOMA project: {@code -Dsoma.project=DIR}, default {@code models} (run from the repository root). */
    static Path project() {
        Path project = Path.of(System.getProperty("soma.project", "models")).toAbsolutePath();
        if (!Files.isRegularFile(project.resolve("soma_project.yml"))) {
            throw new IllegalStateException("no SOMA project at " + project + "; run from the repository root or pass -Dsoma.project=DIR");
        }
        return project;
    }

    /**
     * Generates {@code sales} sales (with 100,000 books, 10,000 publishers, 50,000 inventory and campaign rows)
     * into a new file database in {@code dir}, as of a fixed date so every run sees the same data.
     */
    static Path generate(Path dir, long sales) {
        Path file = dir.resolve("bench.duckdb");
        GenerationConfig config = GenerationConfig.defaults().withAsOf(LocalDate.of(2026, 11, 1)).withScale(1000).withSales(sales);
        try (Warehouse warehouse = Warehouse.open(file)) {
            Generator.with(config).generate(warehouse);
        }
        return file;
    }

    /**
     * The plain-JDBC baseline of a project: each model's compiled SQL as one {@code CREATE OR REPLACE TABLE/VIEW … AS},
     * in dependency order; the schemas they go in are created in {@code warehouse}.
     */
    static List<String> plainStatements(Soma soma, Warehouse warehouse) {
        List<String> statements = new ArrayList<>();
        TreeSet<String> schemas = new TreeSet<>();
        for (CompiledNode node : soma.compile(Selection.all())) {
            String kind = node.node().materialized().equals("view") ? "VIEW" : "TABLE";
            schemas.add(node.node().relation().schema());
            statements.add("CREATE OR REPLACE " + kind + " " + node.node().relation().quoted() + " AS\n" + node.sql());
        }
        schemas.forEach(warehouse::createSchema);
        return statements;
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
