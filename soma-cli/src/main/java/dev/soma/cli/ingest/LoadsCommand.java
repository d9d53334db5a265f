package dev.soma.cli.ingest;

import dev.soma.cli.ExitCode;
import dev.soma.cli.console.TextTable;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** {@code soma loads [SOURCE]}: the load history, newest first. */
@Command(name = "loads", mixinStandardHelpOptions = true,
        description = "Show the load history of one source, or of all, newest first.")
public final class LoadsCommand extends IngestLookCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Parameters(paramLabel = "SOURCE", arity = "0..1", description = "The source (source.table, or table). Default: all.")
    String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N loads. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int print(PrintWriter out, Ingest ingest) {
        List<LoadResult> loads = ingest.loads(source, Math.max(1, limit));
        if (loads.isEmpty()) {
            out.println("No loads yet" + (source == null ? "" : " of " + source) + "; run soma ingest.");
            return ExitCode.OK;
        }
        TextTable table = TextTable.plain("started (UTC)", "source", "status", "read", "loaded", "rejected", "duplicate",
                "cursor", "load id", "error").numbersRight();
        for (LoadResult r : loads) {
            table.row(TIME.format(r.started()), r.source(), r.status().name().toLowerCase(Locale.ROOT),
                    IngestCommand.n(r.rowsRead()), IngestCommand.n(r.rowsLoaded()), IngestCommand.n(r.rowsRejected()),
                    IngestCommand.n(r.rowsDuplicate()),
                    r.cursorTo() == null ? "" : r.cursorFrom() + " -> " + r.cursorTo(), r.loadId().substring(0, 8),
                    r.error() == null ? "" : r.error().length() > 80 ? r.error().substring(0, 80) + "…" : r.error());
        }
        table.print(out);
        return ExitCode.OK;
    }
}
