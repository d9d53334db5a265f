package dev.soma.cli.ingest;

import dev.soma.cli.ExitCode;
import dev.soma.cli.console.TextTable;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestListener;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.spec.SourceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code soma ingest [SOURCE…]}: loads the declared sources into raw and prints what each load did. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Load sources declared with an ingest: block (CSV files, HTTP APIs) into raw.",
                "Each load is one transaction: accepted rows, rejects, cursor and load record, or nothing.",
                "Exit code 1 when a load failed."})
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    IngestOptions options;

    @Parameters(paramLabel = "SOURCE", arity = "0..*",
            description = "Sources to load (source.table, or table). Default: every ingestible source.")
    List<String> sources;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<LoadResult> results = new ArrayList<>();
        try (Warehouse warehouse = options.open()) {
            Ingest ingest = options.ingest(warehouse, new Progress(out));
            List<SourceSpec> todo = sources == null || sources.isEmpty() ? ingest.sources()
                    : sources.stream().map(ingest::source).toList();
            if (todo.isEmpty()) {
                out.println("No source has an ingest: block; add one to a source table in sources.yml (see docs/ingestion.md).");
                return ExitCode.OK;
            }
            for (SourceSpec source : todo) {
                results.add(ingest.load(source));
            }
        }
        summary(out, results);
        boolean failed = results.stream().anyMatch(r -> !r.succeeded());
        for (LoadResult result : results) {
            if (!result.succeeded()) {
                spec.commandLine().getErr().println("error: " + result.source() + ": " + result.error());
            } else if (result.rowsRejected() > 0) {
                out.println(result.source() + ": " + result.rowsRejected() + " rejected; see soma rejects " + result.source());
            }
        }
        return failed ? ExitCode.FAILED : ExitCode.OK;
    }

    static void summary(PrintWriter out, List<LoadResult> results) {
        TextTable table = TextTable.plain("source", "status", "read", "loaded", "updated", "rejected", "duplicate", "skipped",
                "cursor", "time").numbersRight();
        for (LoadResult r : results) {
            table.row(r.source(), r.status().name().toLowerCase(Locale.ROOT), n(r.rowsRead()), n(r.rowsLoaded()),
                    n(r.rowsUpdated()), n(r.rowsRejected()), n(r.rowsDuplicate()), n(r.rowsSkipped()),
                    r.cursorTo() == null ? "" : r.cursorTo(),
                    String.format(Locale.ROOT, "%.2f s", r.duration().toNanos() / 1e9));
        }
        table.print(out);
        for (LoadResult r : results) {
            if (r.filesSkipped() > 0) {
                out.println(r.source() + ": " + n(r.filesSkipped()) + (r.filesSkipped() == 1 ? " file" : " files")
                        + " unchanged since an earlier load, not read again");
            }
        }
    }

    static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** One line per phase change, pages as they come. */
    private static final class Progress implements IngestListener {
        private final PrintWriter out;

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void loadStarted(SourceSpec source) {
            out.println("Loading " + source.name() + " (" + source.kind().kindName() + ") into " + source.schema() + "."
                    + source.table() + "...");
        }

        @Override
        public void pageRead(SourceSpec source, int page, int records) {
            if (page % 10 == 0) {
                out.println("  page " + page + ": " + records + " records");
            }
        }
    }
}
