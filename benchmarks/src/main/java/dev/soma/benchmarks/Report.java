package dev.soma.benchmarks;

import dev.soma.benchmarks.engine.BuildOverheadBenchmark;
import dev.soma.benchmarks.engine.DataTestBenchmark;
import dev.soma.benchmarks.engine.PerModelOverheadBenchmark;
import dev.soma.benchmarks.engine.ProjectLoadBenchmark;
import dev.soma.benchmarks.generator.GeneratorBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every benchmark at a small size and prints one table of the figures and ratios that
 * {@code benchmarks/README.md} reports at full size. A few minutes on 2 cores:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.Report          # from the repository root
 * </pre>
 *
 * Raw JMH JSON goes to {@code benchmarks/results/quick-*.json}.
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of("benchmarks", "results");
        Files.createDirectories(results);
        Map<String, Double> scores = new LinkedHashMap<>();

        run(scores, results, "generator", GeneratorBenchmark.class, Map.of("rows", "1000000"), 1, 2);
        run(scores, results, "build", BuildOverheadBenchmark.class, Map.of("sales", "300000"), 1, 3);
        run(scores, results, "permodel", PerModelOverheadBenchmark.class, Map.of("models", "1000"), 2, 3);
        run(scores, results, "load", ProjectLoadBenchmark.class, Map.of("models", "100,1000,10000"), 2, 3);
        run(scores, results, "tests", DataTestBenchmark.class, Map.of("sales", "300000", "rows", "3000000"), 1, 3);

        System.out.println();
        System.out.println("## Quick report (JMH single-shot means; see benchmarks/README.md for full-size figures)");
        System.out.println();
        System.out.println("| what | figure | ratio | target |");
        System.out.println("|---|---|---|---|");
        double generator = scores.get("GeneratorBenchmark.generator");
        double appender = scores.get("GeneratorBenchmark.appender");
        double range = scores.get("GeneratorBenchmark.rangeSql");
        line("generator, 1M sales into a file", rate(1_000_000, generator), String.format(Locale.ROOT,
                "%.2fx Appender, %.2fx range() SQL", appender / generator, range / generator), ">= 1M rows/s");
        double sequential = scores.get("BuildOverheadBenchmark.somaSequential");
        double parallel = scores.get("BuildOverheadBenchmark.somaParallel");
        double jdbc = scores.get("BuildOverheadBenchmark.plainJdbc");
        line("build SOMA project, 300k sales, 1 thread", ms(sequential), String.format(Locale.ROOT, "%.3f x plain JDBC", sequential / jdbc),
                "<= 1.05");
        line("build SOMA project, 300k sales, 4 threads", ms(parallel), String.format(Locale.ROOT, "%.3f x plain JDBC", parallel / jdbc), "");
        double perModel = (scores.get("PerModelOverheadBenchmark.soma") - scores.get("PerModelOverheadBenchmark.plainJdbc")) / 1000;
        line("per-model overhead, 1,000 trivial views", String.format(Locale.ROOT, "%.2f ms/model", perModel),
                String.format(Locale.ROOT, "%.2f x plain JDBC", scores.get("PerModelOverheadBenchmark.soma")
                        / scores.get("PerModelOverheadBenchmark.plainJdbc")), "< 2 ms/model");
        for (String size : List.of("100", "1000", "10000")) {
            Double score = scores.get("ProjectLoadBenchmark.loadCompileAndOrder:" + size);
            line("load + compile + order, " + size + " models", ms(score),
                    String.format(Locale.ROOT, "%.3f ms/model", score / Integer.parseInt(size)), size.equals("10000") ? "~1 s" : "");
        }
        line("SOMA project tests (133), 300k sales", ms(scores.get("DataTestBenchmark.projectFolded")), String.format(Locale.ROOT,
                "%.2fx faster than one query per test", scores.get("DataTestBenchmark.projectOneQueryPerTest")
                        / scores.get("DataTestBenchmark.projectFolded")), ">= 2x at 10M");
        line("30 column tests, 3M-row table", ms(scores.get("DataTestBenchmark.wideTableFolded")), String.format(Locale.ROOT,
                "%.2fx", scores.get("DataTestBenchmark.wideTableOneQueryPerTest") / scores.get("DataTestBenchmark.wideTableFolded")), "");
        line("30 column tests, 3M-row view (join + casts)", ms(scores.get("DataTestBenchmark.wideViewFolded")), String.format(Locale.ROOT,
                "%.2fx", scores.get("DataTestBenchmark.wideViewOneQueryPerTest") / scores.get("DataTestBenchmark.wideViewFolded")), "");

        System.out.println();
        System.out.println("## End to end (generate, build, test)");
        System.out.println();
        EndToEnd.print(EndToEnd.run(List.of(1.0, 100.0, 10_000.0), Path.of(System.getProperty("soma.project", "models"))));
    }

    private static void run(Map<String, Double> scores, Path results, String name, Class<?> benchmark, Map<String, String> params,
                            int warmups, int iterations) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .warmupIterations(warmups)
                .measurementIterations(iterations)
                .forks(1)
                .resultFormat(ResultFormatType.JSON)
                .result(results.resolve("quick-" + name + ".json").toString());
        params.forEach((key, value) -> options.param(key, value.split(",")));
        Collection<RunResult> runs = new Runner(options.build()).run();
        for (RunResult run : runs) {
            String label = run.getParams().getBenchmark();
            label = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            if (run.getParams().getParamsKeys().contains("models") && benchmark == ProjectLoadBenchmark.class) {
                label += ":" + run.getParams().getParam("models");
            }
            scores.put(label, run.getPrimaryResult().getScore() * toMillis(run.getPrimaryResult().getScoreUnit()));
        }
    }

    private static double toMillis(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-6;
            case "us/op" -> 1e-3;
            case "s/op" -> 1e3;
            default -> 1;
        };
    }

    private static void line(String what, String figure, String ratio, String target) {
        System.out.println("| " + what + " | " + figure + " | " + ratio + " | " + target + " |");
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%,.0f ms", millis);
    }

    private static String rate(long rows, double millis) {
        return String.format(Locale.ROOT, "%,.0f rows/s", rows / (millis / 1000));
    }
}
