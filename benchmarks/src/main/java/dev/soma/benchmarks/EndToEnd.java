package dev.soma.benchmarks;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.GenerationResult;
import dev.soma.generator.Generator;
import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The end-to-end harness: what {@code soma demo} does (generate, build every model, run every test) at
 * growing scales, each into a fresh file database, timing each phase. Prints one row per scale and how
 * each phase grew against the previous scale.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.EndToEnd 1 100 10000 100000
 * </pre>
 */
public final class EndToEnd {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC);

    /** One scale's timings. */
    public record Row(double scale, long rows, long sales, double generateSeconds, double buildSeconds,
                      double testSeconds, int models, int tests, boolean success) {
        double totalSeconds() {
            return generateSeconds + buildSeconds + testSeconds;
        }
    }

    private EndToEnd() {
    }

    public static void main(String[] args) {
        List<Double> scales = new ArrayList<>();
        for (String arg : args) {
            scales.add(Double.parseDouble(arg));
        }
        if (scales.isEmpty()) {
            scales = List.of(1.0, 100.0, 10_000.0, 100_000.0);
        }
        print(run(scales, Path.of(System.getProperty("soma.project", "models"))));
    }

    public static List<Row> run(List<Double> scales, Path project) {
        List<Row> rows = new ArrayList<>();
        for (double scale : scales) {
            rows.add(once(scale, project));
        }
        return rows;
    }

    private static Row once(double scale, Path project) {
        Path dir;
        try {
            dir = Files.createTempDirectory("soma-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Warehouse warehouse = Warehouse.open(dir.resolve("e2e.duckdb"))) {
            long start = System.nanoTime();
            GenerationResult generated = Generator.with(GenerationConfig.defaults().withAsOf(AS_OF).withScale(scale))
                    .generate(warehouse);
            long generatedAt = System.nanoTime();
            try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(4).fullRefresh(true)
                    .targetDir(dir.resolve("target")).clock(CLOCK).build()) {
                RunResult built = soma.run(Selection.all());
                long builtAt = System.nanoTime();
                RunResult tested = soma.test(Selection.all());
                long testedAt = System.nanoTime();
                return new Row(scale, generated.totalRows(), generated.rows(dev.soma.generator.RawTable.SALES),
                        (generatedAt - start) / 1e9, (builtAt - generatedAt) / 1e9, (testedAt - builtAt) / 1e9,
                        built.results().size(), tested.results().size(), built.isSuccess() && tested.isSuccess());
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp folder left behind
            }
        }
    }

    /** The table, as Markdown, with the growth of each phase against the previous scale. */
    public static void print(List<Row> rows) {
        System.out.println("| scale | raw rows | sales | generate s | build s (" + (rows.isEmpty() ? 0 : rows.get(0).models())
                + " models) | test s (" + (rows.isEmpty() ? 0 : rows.get(0).tests()) + " tests) | total s | growth vs previous (rows / time) | ok |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        Row previous = null;
        for (Row row : rows) {
            String growth = previous == null ? "" : String.format(Locale.ROOT, "%.0fx / %.1fx",
                    (double) row.rows() / previous.rows(), row.totalSeconds() / previous.totalSeconds());
            System.out.printf(Locale.ROOT, "| %,.0f | %,d | %,d | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", row.scale(), row.rows(),
                    row.sales(), row.generateSeconds(), row.buildSeconds(), row.testSeconds(), row.totalSeconds(), growth,
                    row.success() ? "yes" : "NO");
            previous = row;
        }
    }
}
