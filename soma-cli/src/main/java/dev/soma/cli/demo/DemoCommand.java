package dev.soma.cli.demo;

import dev.soma.cli.DatabaseLocation;
import dev.soma.cli.ExitCode;
import dev.soma.cli.ThreadsFlag;
import dev.soma.cli.console.Console;
import dev.soma.cli.console.ProgressBar;
import dev.soma.cli.generate.GenerationProgress;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.CuratedBooksCsv;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.GenerationResult;
import dev.soma.generator.Generator;
import dev.soma.models.ClasspathProject;
import dev.soma.models.Soma;
import dev.soma.models.SomaBuilder;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code soma demo}: the whole product in one command. Generates fresh data (replacing any), builds
 * every model of the SOMA project from scratch and runs every test, then prints a short report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate data, build and test the bundled SOMA project, and report what it found.",
                "The report: rows per layer, test results, the top books, and the A/B test result per experiment.",
                "Replaces the raw tables and rebuilds every model in the database.",
                "With the project on disk (./models, --project-dir), also writes its data/curated_books.csv from the",
                "generated books (as 'soma generate --curated-books' does), so 'soma ingest' can run next."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "PATH", description = "Database file (created if missing). " + DatabaseLocation.HELP)
    Path db;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "100",
            description = "Data size: scale 1 is 100 sales and 100 books; default ${DEFAULT-VALUE} (10,000 sales).")
    double scale;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--lift", paramLabel = "X", description = "Relative CTR lift planted in the A/B experiments. Default: 0.10.")
    Double lift;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Worker connections. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--project-dir", paramLabel = "DIR",
            description = "The project to build. Default: ./models when it holds the SOMA project, else the copy inside soma.")
    Path projectDir;

    @Option(names = "--enrich", description = {"Also enrich the generated books as curated books against a LOCAL STAND-IN of",
            "Open Library and Google Books (no network), and build the catalog star schema. Clears earlier enrichment."})
    boolean enrich;

    private final Clock clock;

    public DemoCommand() {
        this(Clock.systemDefaultZone());
    }

    /** The command with {@code clock} deciding what "today" is for the data. */
    public DemoCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new ParameterException(spec.commandLine(), "--scale must be a number greater than 0, got " + scale);
        }
        ThreadsFlag.check(spec, threads);
        if (lift != null && (lift < -0.9 || lift > 10)) {
            throw new ParameterException(spec.commandLine(), "--lift must be between -0.9 and 10 (0.10 means +10%), got " + lift);
        }
        Console console = Console.detect(spec.commandLine().getOut());
        GenerationConfig config = GenerationConfig.defaults(clock).withScale(scale).withSeed(seed).withReplace(true);
        if (lift != null) {
            config = config.withLift(lift);
        }
        Path project = projectDir != null ? projectDir : checkoutProject();
        boolean bundled = project == null;
        try (Warehouse warehouse = Warehouse.open(bundled ? (db != null ? db : Path.of("soma.duckdb"))
                : DatabaseLocation.resolve(project, null, db))) {
            console.line("Soma demo: scale %s, seed %d, database %s", DemoReport.number(scale), seed, warehouse.describe());
            console.line("");
            console.line("1. Generating data as of %s", config.asOf());
            GenerationProgress progress = new GenerationProgress(console);
            GenerationResult generated;
            try {
                generated = Generator.with(config).listener(progress).generate(warehouse);
            } finally {
                progress.close();
            }
            console.line("   %,d rows in %.2f s", generated.totalRows(), generated.duration().toNanos() / 1e9);
            if (!bundled) {
                // The bundled project's CSV source reads this file: with it, 'soma ingest' works right after the demo.
                Path curated = project.resolve(CURATED_BOOKS);
                long lines = CuratedBooksCsv.write(warehouse, curated);
                console.line("   %s: %,d rows for 'soma ingest' (one in %d broken on purpose)", curated, lines,
                        CuratedBooksCsv.BROKEN_EVERY);
            }
            if (enrich) {
                console.line("");
                console.line("1b. Enriching the books through the job queue (docs/enrichment.md)");
                dev.soma.cli.enrich.DemoEnrichment.run(console, warehouse, project, threads);
            }

            BuildProgress listener = new BuildProgress(console);
            RunResult result;
            SomaBuilder builder = Soma.builder().warehouse(warehouse).threads(threads).fullRefresh(true).listener(listener)
                    .vars(enrich ? java.util.Map.of("enriched_books", true) : java.util.Map.of());
            if (bundled) {
                builder.project(ClasspathProject.open(DemoCommand.class.getClassLoader(), "soma/project"))
                        .targetDir(Path.of("target", "soma"));
            } else {
                builder.project(project).targetDir(project.resolve("target"));
            }
            try (Soma soma = builder.build()) {
                console.line("");
                console.line("2. Building project %s from %s", soma.projectName(), bundled ? "the copy inside soma" : project);
                result = soma.build(Selection.all());
                listener.close();
                DemoReport report = new DemoReport(console, soma, warehouse);
                report.print(result, generated);
                boolean intact = !result.isSuccess() || PublishDemo.run(console, warehouse, soma);
                report.next();
                if (!intact) {
                    return ExitCode.FAILED;
                }
            }
            return result.isSuccess() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    private static final Path LOCAL_PROJECT = Path.of("models");
    /** Where the bundled project's {@code publisher.curated_books} source reads its CSV, in the project. */
    private static final String CURATED_BOOKS = "data/curated_books.csv";

    /**
     * ./models when it holds a project, else the checkout's models/ when the launcher runs from one
     * (the jar's copy may be older than the files), else {@code null}: the copy inside soma.
     */
    private static Path checkoutProject() {
        if (Files.isRegularFile(LOCAL_PROJECT.resolve("soma_project.yml"))) {
            return LOCAL_PROJECT;
        }
        String checkout = System.getenv("SOMA_CHECKOUT");
        if (checkout != null && !checkout.isBlank()) {
            Path models = Path.of(checkout, "models");
            if (Files.isRegularFile(models.resolve("soma_project.yml"))) {
                return models;
            }
        }
        return null;
    }

    /** One bar over every node on a terminal; nothing per node elsewhere (the report says what happened). */
    private static final class BuildProgress implements RunListener {
        private final Console console;
        private ProgressBar bar;
        private int finished;

        BuildProgress(Console console) {
            this.console = console;
        }

        @Override
        public void runStarted(dev.soma.models.api.Command command, int total) {
            bar = console.progress(total);
        }

        @Override
        public void nodeStarted(NodeInfo node, int index, int total) {
            bar.step(finished, node.name());
        }

        @Override
        public void nodeFinished(NodeResult result, int index, int total) {
            finished++;
            bar.step(finished, result.name());
        }

        void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
