package dev.soma.cli.windows;

import dev.soma.cli.ExitCode;
import dev.soma.cli.console.TextTable;
import dev.soma.cli.project.ProjectOptions;
import dev.soma.models.Soma;
import dev.soma.models.api.WindowAuditResult;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowResetResult;
import dev.soma.models.api.WindowStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code soma windows [MODEL]}: the window ledger, what needs a look first. */
@Command(name = "windows", mixinStandardHelpOptions = true,
        description = {"List the windows of windowed models from soma_meta.windows: failed windows first, then those out "
                + "of audit, then locked and pending ones, then the rest. A summary line per model says how many are "
                + "done and how many are missing, failed or out of audit.",
                "Exits 1 when a window failed or is out of audit."},
        subcommands = {WindowsCommand.Reset.class, WindowsCommand.Audit.class})
public final class WindowsCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Only this model's windows.")
    String model;

    @Option(names = "--all", description = "List every window, not only the first 50 (they come worst first).")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Soma soma = options.readOnly()) {
            List<WindowRecord> windows = soma.windows(model);
            if (windows.isEmpty()) {
                out.println("no windows recorded" + (model == null ? "" : " for " + model)
                        + "; 'soma run' builds windowed models (materialized=\"windowed\")");
                return ExitCode.OK;
            }
            summary(out, windows);
            TextTable table = TextTable.plain("MODEL", "WINDOW START (UTC)", "END", "STATE", "PHASE", "SOURCE", "TARGET", "DIFF",
                    "AUDIT", "ATTEMPT", "ERROR");
            int shown = 0;
            for (WindowRecord w : windows) {
                if (!all && shown++ >= 50) {
                    break;
                }
                table.row(w.model(), time(w.start()), time(w.end()), w.state() + (w.runId() == null ? ""
                                : " (run " + w.runId().substring(0, 8) + ")"), text(w.phase()), text(w.sourceCount()),
                        text(w.targetCount()), text(w.difference()), text(w.auditStatus()), String.valueOf(w.attempt()),
                        cut(text(w.error())));
            }
            table.print(out);
            if (!all && windows.size() > 50) {
                out.println("... " + (windows.size() - 50) + " more; --all lists them");
            }
            return windows.stream().anyMatch(WindowRecord::needsAttention) ? ExitCode.FAILED : ExitCode.OK;
        }
    }

    private static void summary(PrintWriter out, List<WindowRecord> windows) {
        windows.stream().map(WindowRecord::model).distinct().sorted().forEach(name -> {
            List<WindowRecord> mine = windows.stream().filter(w -> w.model().equals(name)).toList();
            Map<WindowStatus, Long> counts = mine.stream()
                    .collect(Collectors.groupingBy(WindowRecord::state, () -> new EnumMap<>(WindowStatus.class), Collectors.counting()));
            long outOfAudit = mine.stream().filter(WindowRecord::outOfAudit).count();
            out.printf(Locale.ROOT, "%s: %d windows, %d done, %d missing (pending), %d failed, %d locked, %d out of audit%n",
                    name, mine.size(), counts.getOrDefault(WindowStatus.DONE, 0L), counts.getOrDefault(WindowStatus.PENDING, 0L),
                    counts.getOrDefault(WindowStatus.FAILED, 0L), counts.getOrDefault(WindowStatus.IN_PROGRESS, 0L), outOfAudit);
        });
    }

    /** What {@code reset} and {@code audit} share: the project and the windowed model they act on. */
    abstract static class OfModel implements Callable<Integer> {

        @Mixin
        ProjectOptions options;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The windowed model.")
        String model;
    }

    /** {@code soma windows reset MODEL --from --to}. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Mark the windows of MODEL starting in [--from, --to) for re-processing by the next run "
                    + "(done or failed windows go back to pending; a locked window is left alone unless --force).")
    static final class Reset extends OfModel {

        @Option(names = "--from", required = true, paramLabel = "TIME", description = "First window start (UTC), e.g. 2024-01-01.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "End of the range (UTC, excluded).")
        String to;

        @Option(names = "--force", description = "Take locked (in progress) windows too, their locks dropped: for a "
                + "lock whose run you know is dead; a run still holding one writes nothing of it.")
        boolean force;

        @Override
        public Integer call() {
            WindowRange range = WindowRange.parse("--from/--to", from + ".." + to);
            try (Soma soma = options.readOnly()) {
                WindowResetResult result = soma.resetWindows(model, range.from(), range.to(), force);
                long reset = result.reset();
                spec.commandLine().getOut().println("reset " + reset + " window" + (reset == 1 ? "" : "s") + " of " + model
                        + " to pending; the next 'soma run' processes them");
                if (result.lockedLeft() > 0) {
                    spec.commandLine().getOut().println(result.lockedLeft() + " locked window"
                            + (result.lockedLeft() == 1 ? " was" : "s were") + " left alone (a run holds "
                            + (result.lockedLeft() == 1 ? "it" : "them") + "; 'soma run' releases the locks of dead runs); "
                            + "--force takes " + (result.lockedLeft() == 1 ? "it" : "them") + " too");
                }
                return ExitCode.OK;
            }
        }
    }

    /** {@code soma windows audit MODEL [--from --to]}. */
    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = {"Re-audit the finished windows of MODEL against its source as it is now, loading nothing: "
                    + "each window's source and target rows are counted and checksummed again and the ledger updated. "
                    + "A window whose source changed since it was loaded comes out of audit; 'soma run --windows "
                    + "FROM..TO' reloads it.", "Exits 1 when a window is out of audit."})
    static final class Audit extends OfModel {

        @Option(names = "--from", paramLabel = "TIME", description = "First window start (UTC), e.g. 2024-01-01; default: the first.")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End of the range (UTC, excluded); default: after the last.")
        String to;

        @Override
        public Integer call() {
            Instant start = Instant.MIN;
            Instant end = Instant.MAX;
            if (from != null || to != null) {
                if (from == null || to == null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "give both --from and --to, or neither to audit every finished window");
                }
                WindowRange range = WindowRange.parse("--from/--to", from + ".." + to);
                start = range.from();
                end = range.to();
            }
            try (Soma soma = options.readOnly()) {
                WindowAuditResult result = soma.auditWindows(model, start, end);
                spec.commandLine().getOut().println("audited " + result.audited() + " finished window"
                        + (result.audited() == 1 ? "" : "s") + " of " + model + ": " + result.outOfAudit() + " out of audit"
                        + (result.outOfAudit() == 0 ? "" : "; 'soma windows " + model + "' lists them first, "
                        + "'soma run -s " + model + " --windows FROM..TO' reloads them"));
                return result.outOfAudit() == 0 ? ExitCode.OK : ExitCode.FAILED;
            }
        }
    }

    private static String time(Instant instant) {
        return instant == null ? "" : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString().replace('T', ' ');
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String cut(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }
}
