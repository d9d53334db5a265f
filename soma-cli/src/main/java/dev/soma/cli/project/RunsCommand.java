package dev.soma.cli.project;

import dev.soma.cli.DatabaseOptions;
import dev.soma.cli.ExitCode;
import dev.soma.cli.console.TextTable;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.runstore.NodeRecord;
import dev.soma.core.runstore.RunRecord;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code soma runs}: the run history from {@code soma_meta}, or one run's node results. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"Show the last runs recorded in soma_meta (status, node counts, time), "
                + "or with a run id (or its first characters) that run's node results."})
public final class RunsCommand implements Callable<Integer> {

    private static final int MAX_CELL = 40;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "A run id, or its first characters.")
    String runId;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "10", description = "How many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "--limit must be at least 1, got " + limit);
        }
        Path file = database.existingFile();
        PrintWriter out = spec.commandLine().getOut();
        try (Warehouse warehouse = Warehouse.open(file)) {
            RunStore store = new RunStore(warehouse.session());
            if (runId == null) {
                listRuns(out, store);
            } else {
                showRun(out, store);
            }
        }
        return ExitCode.OK;
    }

    private void listRuns(PrintWriter out, RunStore store) {
        List<RunRecord> runs = store.runs(limit);
        if (runs.isEmpty()) {
            out.println("No runs recorded yet; 'soma build' records one.");
            return;
        }
        TextTable table = TextTable.ruled("RUN", "COMMAND", "STARTED (UTC)", "TIME", "STATUS", "NODES").cutAt(MAX_CELL);
        for (RunRecord run : runs) {
            table.row(run.runId().substring(0, 8), run.command(), WHEN.format(run.startedAt()), elapsed(run),
                    run.status().label(), counts(store.statusCounts(run.runId())));
        }
        table.print(out);
        out.println("'soma runs RUN' shows one run's nodes.");
    }

    private void showRun(PrintWriter out, RunStore store) {
        RunRecord run = store.run(runId).orElseThrow(() -> new SomaException(ErrorCode.UNKNOWN_NODE,
                "no single run with an id starting '" + runId + "'; 'soma runs' lists them"));
        out.println("Run " + run.runId() + ": " + run.command() + ", started " + WHEN.format(run.startedAt()) + " UTC, "
                + elapsed(run) + ", " + run.status().label() + " (" + counts(store.statusCounts(run.runId())) + ")");
        TextTable table = TextTable.ruled("STATUS", "TYPE", "NODE", "TIME", "ROWS", "MESSAGE").cutAt(MAX_CELL);
        for (NodeRecord node : store.nodes(run.runId())) {
            String message = node.message() == null ? "" : node.message().lines().findFirst().orElse("");
            table.row(node.status(), node.resourceType(), node.name(),
                    String.format(Locale.ROOT, "%.2fs", node.durationMillis() / 1000), node.rowsAffected() < 0 ? ""
                            : String.format(Locale.ROOT, "%,d", node.rowsAffected()),
                    message.length() > 80 ? message.substring(0, 77) + "..." : message);
        }
        table.print(out);
    }

    private static String elapsed(RunRecord run) {
        if (run.finishedAt() == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fs", Duration.between(run.startedAt(), run.finishedAt()).toNanos() / 1e9);
    }

    private static String counts(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((status, n) -> parts.add(n + " " + status));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
