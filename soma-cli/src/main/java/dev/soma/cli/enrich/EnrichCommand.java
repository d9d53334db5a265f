package dev.soma.cli.enrich;

import dev.soma.cli.ExitCode;
import dev.soma.cli.ProjectLocation;
import dev.soma.cli.console.Console;
import dev.soma.cli.jobs.JobProgress;
import dev.soma.cli.jobs.QueueUrlOption;
import dev.soma.cli.jobs.WorkerOptions;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.enrich.EnrichBookHandler;
import dev.soma.enrich.EnrichStatus;
import dev.soma.enrich.EnrichTables;
import dev.soma.enrich.Enrichment;
import dev.soma.enrich.PublishResult;
import dev.soma.ingest.Ingest;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code soma enrich}: curated books to enriched raw tables through the job queue. */
@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = {"Enrich curated books from Open Library and Google Books through the job queue (docs/enrichment.md).",
                "publish CSV: validate and enqueue; run: work the enrich_book jobs; status: counts and last errors."},
        subcommands = {EnrichCommand.Publish.class, EnrichCommand.Run.class, EnrichCommand.Status.class})
public final class EnrichCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE;
    }

    /** Where the books and the queue are, for all three: the warehouse {@code --db}, and the queue there or at {@code --queue-url}. */
    static final class DbOption {
        @Option(names = "--db", paramLabel = "PATH", defaultValue = "soma.duckdb",
                description = "The DuckDB warehouse: books in raw, and the queue in soma_meta unless --queue-url. Default: ${DEFAULT-VALUE}.")
        Path database;

        @Mixin
        QueueUrlOption queueUrl = new QueueUrlOption();

        /** The queue's store: PostgreSQL at {@code --queue-url}, else the DuckDB store on {@code warehouse}. */
        JobStore store(Warehouse warehouse) {
            return queueUrl.open(warehouse);
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Load CSV (title, author, optional isbn) through the project's curated-books source, with its",
                    "validation and rejects, then enqueue one enrich_book job per valid book not queued or enriched before."})
    static final class Publish implements Callable<Integer> {

        @Parameters(paramLabel = "CSV", description = "The curated books file.")
        Path csv;

        @Mixin
        DbOption db;

        @Option(names = "--project-dir", paramLabel = "DIR",
                description = "The project whose sources.yml declares the source (default: ./ if it has soma_project.yml, else ./models).")
        Path projectDir;

        @Option(names = "--source", paramLabel = "SOURCE", defaultValue = Enrichment.CURATED_BOOKS,
                description = "The ingest source that reads curated books (default ${DEFAULT-VALUE}).")
        String source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(csv)) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "no file " + csv + "; pass the curated books CSV"
                        + " (soma generate --curated-books FILE writes one)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Warehouse warehouse = Warehouse.open(db.database);
                 JobQueue queue = JobQueue.builder().store(db.store(warehouse)).build()) {
                Ingest ingest = Ingest.builder().project(project(projectDir)).warehouse(warehouse).build();
                Enrichment enrichment = Enrichment.builder().warehouse(warehouse).build();
                PublishResult r = enrichment.publish(ingest, source, csv, queue);
                out.printf(Locale.ROOT, "%s: %,d read, %,d loaded, %,d rejected, %,d duplicate%n", r.load().source(),
                        r.load().rowsRead(), r.load().rowsLoaded(), r.load().rowsRejected(), r.load().rowsDuplicate());
                out.printf(Locale.ROOT, "%,d books: %,d new enrich_book jobs, %,d already queued or enriched%n",
                        r.books(), r.enqueued(), r.existing());
                if (r.load().rowsRejected() > 0) {
                    out.println("see the rejected rows: soma rejects " + r.load().source());
                }
                out.println("next: soma enrich run");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Work the enrich_book jobs until none is due, with progress. Exit code 1 when a job failed for good.")
    static final class Run implements Callable<Integer> {

        @Mixin
        DbOption db;

        @Mixin
        ServiceOptions services;

        @Mixin
        WorkerOptions worker;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            WorkerConfig config = worker.config();
            Console console = Console.detect(spec.commandLine().getOut());
            JobProgress progress;
            try (Warehouse warehouse = Warehouse.open(db.database)) {
                EnrichTables.create(warehouse);
                long due;
                try (JobQueue look = JobQueue.builder().store(db.store(warehouse)).build()) {
                    due = EnrichStatus.pending(look.stats());
                }
                progress = new JobProgress(console, due, "enriched");
                try (JobQueue queue = JobQueue.builder().store(db.store(warehouse)).listener(progress)
                        .batchHandler(EnrichBookHandler.KIND, services.settings().handler(warehouse)).build()) {
                    console.line("enriching %,d books from %s and %s (%d threads, batches of %d)", due,
                            services.openLibraryUrl, services.googleBooksUrl, config.threads(), config.batchSize());
                    try (Worker running = queue.worker(config)) {
                        running.runUntilDrained();
                    } finally {
                        progress.close();
                    }
                }
            }
            console.line("%s", progress.finalLine("books"));
            if (progress.failed() > 0 || progress.retried() > 0) {
                console.line("see why: soma enrich status; retry: soma jobs retry-failed --kind enrich_book");
            }
            return progress.failed() > 0 ? ExitCode.FAILED : ExitCode.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "enrich_book jobs by state, the enriched tables' row counts and the last errors.")
    static final class Status implements Callable<Integer> {

        @Mixin
        DbOption db;

        @Option(names = "--errors", paramLabel = "N", defaultValue = "5", description = "How many failed jobs to show (default ${DEFAULT-VALUE}).")
        int errors;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            EnrichStatus status;
            try (Warehouse warehouse = Warehouse.open(db.database);
                 JobQueue queue = JobQueue.builder().store(db.store(warehouse)).build()) {
                status = EnrichStatus.read(queue, warehouse, errors);
            }
            out.print("enrich_book jobs:");
            for (JobState s : JobState.values()) {
                out.printf(Locale.ROOT, " %s %,d", s.name().toLowerCase(Locale.ROOT), status.count(s));
            }
            out.println();
            status.tables().ifPresentOrElse(t -> out.printf(Locale.ROOT, "raw.%s %,d rows (%,d found in no service), raw.%s %,d, raw.%s %,d%n",
                    EnrichTables.BOOKS, t.books(), t.foundInNone(), EnrichTables.AUTHORS, t.authors(), EnrichTables.SUBJECTS, t.subjects()),
                    () -> out.println("no enriched books yet: soma enrich publish CSV, then soma enrich run"));
            if (!status.failed().isEmpty()) {
                out.println("last failed jobs (retry: soma jobs retry-failed --kind enrich_book):");
            }
            for (EnrichStatus.FailedBook f : status.failed()) {
                out.printf(Locale.ROOT, "  #%d %s after %d attempts: %s%n", f.id(), f.uniqueKey(), f.attempts(), f.lastError());
            }
            return ExitCode.OK;
        }
    }

    static Path project(Path given) {
        return ProjectLocation.require(given);
    }
}
