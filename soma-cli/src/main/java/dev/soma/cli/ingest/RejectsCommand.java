package dev.soma.cli.ingest;

import dev.soma.cli.ExitCode;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.RejectedRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** {@code soma rejects SOURCE}: the rows the last load of a source refused, with every reason. */
@Command(name = "rejects", mixinStandardHelpOptions = true,
        description = "Show the rows the last load of a source rejected, with every reason and the record as read.")
public final class RejectsCommand extends IngestLookCommand {

    @Parameters(paramLabel = "SOURCE", description = "The source (source.table, or table).")
    String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N rows. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int print(PrintWriter out, Ingest ingest) {
        String name = ingest.source(source).name();
        Optional<LoadResult> last = ingest.lastReadingLoad(name);
        if (last.isEmpty()) {
            out.println("No loads of " + name + " yet; run soma ingest " + name + ".");
            return ExitCode.OK;
        }
        List<RejectedRow> rows = ingest.rejects(name, Math.max(1, limit));
        out.println(name + ", load " + last.get().loadId().substring(0, 8) + ": " + last.get().rowsRejected()
                + " rejected of " + last.get().rowsRead() + " read" + (rows.size() < last.get().rowsRejected()
                ? " (showing " + rows.size() + "; --limit for more)" : ""));
        for (RejectedRow row : rows) {
            String where = (row.record() == null ? "" : "record " + row.record())
                    + (row.line() == null ? "" : (row.record() == null ? "" : ", ") + "line " + row.line());
            out.println("  " + where + (row.file() == null ? "" : " of " + row.file()));
            for (String reason : row.reasons()) {
                out.println("    - " + reason);
            }
            out.println("    raw: " + (row.raw() == null ? "" : row.raw().replace("\n", "\\n")));
        }
        return ExitCode.OK;
    }
}
