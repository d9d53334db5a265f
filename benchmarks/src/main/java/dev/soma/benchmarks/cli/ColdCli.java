package dev.soma.benchmarks.cli;

import dev.soma.benchmarks.engine.SyntheticProject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold-JVM wall time of {@code soma ls} and {@code soma run} on a generated project of 10,000 models and
 * 10,000 tests, run through the {@code soma} launcher exactly as a user runs it: one new JVM per
 * command, output discarded. Every figure is the median of several repetitions, with the load average
 * read before and after.
 *
 * <p>Scenarios: {@code unchanged} (the project as the previous command left it, so any cache in
 * {@code target/} is warm), {@code one-change} (one model file edited before each command),
 * {@code no-cache} ({@code target/} deleted before each command), {@code run} ({@code soma run} of
 * the 10,000 trivial views into a file database, again into the database the previous run left: each variant has its
 * own) and
 * {@code run-fresh} (the same into a new database holding only {@code raw.events}: every view created).
 *
 * <p>Each variant is {@code label=LAUNCHER[ ENV=VALUE...][ -- SOMA ARGS...]}, e.g.
 * {@code after=./soma}, {@code no-cds=./soma SOMA_CDS=off}, {@code before=/tmp/before/soma}.
 * Usage (from the repository root; {@code benchmarks/cold-cli} builds and runs it):
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.cli.ColdCli [--models 10000] [--reps 5]
 *      [--run-reps 3] [--scenarios unchanged,one-change,no-cache,run] [--run-variants LABEL,...] [--dir DIR]
 *      VARIANT...
 * </pre>
 */
public final class ColdCli {

    private ColdCli() {
    }

    /** One way of running soma: a launcher, its environment and extra arguments. */
    record Variant(String label, Path launcher, Map<String, String> env, List<String> args) {

        static Variant parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a variant is label=LAUNCHER [ENV=VALUE...] [-- ARGS...], got " + spec);
            }
            List<String> words = new ArrayList<>(Arrays.asList(spec.substring(eq + 1).trim().split("\\s+")));
            Path launcher = Path.of(words.remove(0)).toAbsolutePath();
            Map<String, String> env = new LinkedHashMap<>();
            List<String> args = new ArrayList<>();
            boolean inArgs = false;
            for (String word : words) {
                if (word.equals("--")) {
                    inArgs = true;
                } else if (inArgs) {
                    args.add(word);
                } else {
                    int e = word.indexOf('=');
                    env.put(word.substring(0, e), word.substring(e + 1));
                }
            }
            return new Variant(spec.substring(0, eq), launcher, env, args);
        }
    }

    public static void main(String[] argv) throws Exception {
        int models = 10_000;
        int reps = 5;
        int runReps = 3;
        List<String> scenarios = List.of("unchanged", "one-change", "no-cache", "run");
        Path dir = null;
        List<String> runVariants = null;
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--models" -> models = Integer.parseInt(argv[++i]);
                case "--reps" -> reps = Integer.parseInt(argv[++i]);
                case "--run-reps" -> runReps = Integer.parseInt(argv[++i]);
                case "--scenarios" -> scenarios = List.of(argv[++i].split(","));
                case "--dir" -> dir = Path.of(argv[++i]);
                case "--run-variants" -> runVariants = List.of(argv[++i].split(","));
                default -> variants.add(Variant.parse(argv[i]));
            }
        }
        if (variants.isEmpty()) {
            variants.add(Variant.parse("current=./soma"));
        }
        if (dir == null) {
            dir = Files.createTempDirectory("soma-cold-");
        }
        Path project = dir.resolve("project");
        if (!Files.isRegularFile(project.resolve("soma_project.yml"))) {
            SyntheticProject.write(project, models, true);
        }
        Path database = dir.resolve("views.duckdb");
        if (scenarios.contains("run") || scenarios.contains("run-fresh")) {
            createEvents(database);
        }
        System.out.printf(Locale.ROOT, "project: %s (%,d models, %,d tests); %d cores; java %s%n", project, models, models,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<String> rows = new ArrayList<>();
        for (String scenario : scenarios) {
            List<Variant> those = new ArrayList<>();
            for (Variant variant : variants) {
                if (!scenario.startsWith("run") || runVariants == null || runVariants.contains(variant.label())) {
                    those.add(variant);
                }
            }
            rows.addAll(measure(scenario, those, project, database, scenario.startsWith("run") ? runReps : reps));
        }
        System.out.println();
        System.out.println("| scenario | variant | median s | min-max s | runs | load average before -> after |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /**
     * Times every variant {@code reps} times, interleaved (rep 1 of each variant, then rep 2, ...), so a
     * machine whose load drifts weighs on every variant alike.
     */
    private static List<String> measure(String scenario, List<Variant> variants, Path project, Path database, int reps)
            throws Exception {
        Map<Variant, List<String>> commands = new LinkedHashMap<>();
        for (Variant variant : variants) {
            List<String> command = new ArrayList<>();
            command.add(variant.launcher().toString());
            if (scenario.startsWith("run")) {
                command.addAll(List.of("run", "--project-dir", project.toString(), "--db", databaseOf(database, variant).toString(),
                        "--threads", "1"));
            } else {
                command.addAll(List.of("ls", "--project-dir", project.toString()));
            }
            command.addAll(variant.args());
            commands.put(variant, command);
            // Prime: builds the jar if the launcher needs to, fills any cache, creates any archive.
            time(command, variant, project);
        }
        String before = loadAverage();
        Map<Variant, double[]> seconds = new LinkedHashMap<>();
        variants.forEach(v -> seconds.put(v, new double[reps]));
        int edits = 0;
        for (int r = 0; r < reps; r++) {
            for (Variant variant : variants) {
                switch (scenario) {
                    case "one-change" -> editOneModel(project, edits++);
                    case "no-cache" -> deleteTree(project.resolve("target"));
                    case "run-fresh" -> freshDatabase(databaseOf(database, variant));
                    default -> {
                    }
                }
                seconds.get(variant)[r] = time(commands.get(variant), variant, project);
            }
        }
        String after = loadAverage();
        List<String> rows = new ArrayList<>();
        for (Variant variant : variants) {
            double[] sorted = seconds.get(variant).clone();
            Arrays.sort(sorted);
            double median = reps % 2 == 1 ? sorted[reps / 2] : (sorted[reps / 2 - 1] + sorted[reps / 2]) / 2;
            String row = String.format(Locale.ROOT, "| %s | %s | **%.2f** | %.2f-%.2f | %d | %s -> %s |", scenario,
                    variant.label(), median, sorted[0], sorted[reps - 1], reps, before, after);
            System.out.println(row);
            rows.add(row);
        }
        return rows;
    }

    /** Runs the command once in a new process; its wall time in seconds. Fails on a non-zero exit. */
    private static double time(List<String> command, Variant variant, Path project) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.getParent().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(variant.env());
        long start = System.nanoTime();
        Process process = builder.start();
        byte[] err = process.getErrorStream().readAllBytes();
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ":\n"
                    + new String(err, StandardCharsets.UTF_8));
        }
        return seconds;
    }

    /** Rewrites one mart (a different one each time) so its content differs from every earlier state. */
    private static void editOneModel(Path project, int rep) throws IOException {
        Path file;
        try (Stream<Path> files = Files.walk(project.resolve("marts"))) {
            List<Path> sql = files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
            file = sql.get((rep * 7919) % sql.size());
        }
        String text = Files.readString(file);
        Files.writeString(file, text + "-- edit " + System.nanoTime() + "\n");
    }

    /**
     * Each variant's own database ({@code views-<label>.duckdb} beside {@code database}, made like it on first use): a
     * re-run finds what its own previous run left, as a user's would. One database shared by the variants had DuckDB
     * alone re-create every view between two of Soma's re-runs, which then opened a catalog another program had just
     * rewritten (section 20: 9.05 s against 7.53 s for the same code).
     */
    private static Path databaseOf(Path database, Variant variant) throws SQLException {
        Path own = database.resolveSibling("views-" + variant.label() + ".duckdb");
        if (!Files.exists(own)) {
            createEvents(own);
        }
        return own;
    }

    /** An empty database but for raw.events: every view is created, none is there to keep. */
    private static void freshDatabase(Path database) throws IOException, SQLException {
        Files.deleteIfExists(database);
        Files.deleteIfExists(Path.of(database + ".wal"));
        createEvents(database);
    }

    private static void createEvents(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS raw");
            statement.execute("CREATE OR REPLACE TABLE raw.events AS SELECT range AS id, range % 7 AS value FROM range(1000)");
        }
    }

    /** The 1-, 5- and 15-minute load averages, as uptime prints them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
