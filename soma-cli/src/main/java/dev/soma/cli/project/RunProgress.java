package dev.soma.cli.project;

import dev.soma.cli.console.TextTable;
import dev.soma.models.api.Command;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.WindowNotice;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Shows a run as it happens. By default passing work is summarised: a line per node that failed,
 * warned or was skipped, then one line per layer (models, seeds and tests by their top folder) with
 * counts and time, and every failure and warning in full. With {@code -v}: a line per finished node
 * (and off a terminal a START line), and the table of every test. On an interactive terminal a live
 * status line names what is running now; off a terminal (CI logs, pipes) no control characters.
 */
public final class RunProgress implements RunListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int WIDTH = 64;

    private final PrintWriter out;
    private final Ansi ansi;
    private final boolean live;
    private final boolean verbose;
    private final Set<String> running = new LinkedHashSet<>();
    private int done;
    private int total;
    private boolean statusShown;
    private PublishResult publish;

    /**
     * @param live whether {@code out} is an interactive terminal that can redraw a status line
     */
    public RunProgress(PrintWriter out, Ansi ansi, boolean live) {
        this(out, ansi, live, true);
    }

    /**
     * @param live    whether {@code out} is an interactive terminal that can redraw a status line
     * @param verbose a line for every node and the table of every test; else only what did not pass
     */
    public RunProgress(PrintWriter out, Ansi ansi, boolean live, boolean verbose) {
        this.out = out;
        this.ansi = ansi;
        this.live = live;
        this.verbose = verbose;
    }

    @Override
    public void runStarted(Command command, int total) {
        this.total = total;
        out.println(stamp() + "Running " + total + " node" + (total == 1 ? "" : "s") + " (" + command + ")");
        out.flush();
    }

    @Override
    public void nodeStarted(NodeInfo node, int index, int total) {
        running.add(node.name());
        if (live) {
            drawStatus();
        } else if (verbose) {
            out.println(stamp() + position(index, total) + " START " + describe(node));
            out.flush();
        }
    }

    @Override
    public void nodeFinished(NodeResult result, int index, int total) {
        running.remove(result.name());
        done++;
        clearStatus();
        if (!verbose && (result.status() == NodeStatus.SUCCESS || result.status() == NodeStatus.PASS)
                && result.windowNotices().isEmpty()) {
            // a quiet success prints nothing: with 10,000 of them, even building the coloured word and flushing
            // an empty buffer per node showed in a re-run's profile
            if (live) {
                drawStatus();
                out.flush();
            }
            return;
        }
        String word = switch (result.status()) {
            case SUCCESS -> ansi.string("@|green OK   |@");
            case PASS -> ansi.string("@|green PASS |@");
            case WARN -> ansi.string("@|yellow WARN |@");
            case FAIL -> ansi.string("@|red FAIL |@");
            case ERROR -> ansi.string("@|red ERROR|@");
            case SKIPPED -> ansi.string("@|yellow SKIP |@");
        };
        String label = describe(result.node());
        String dots = ".".repeat(Math.max(3, WIDTH - label.length()));
        String time = result.status() == NodeStatus.SKIPPED ? "" : String.format(Locale.ROOT, "%6s  ", seconds(result.duration()));
        out.println(stamp() + position(index, total) + " " + word + " " + label + " " + dots + " " + time + summary(result));
        printWindowNotices(out, result.windowNotices());
        if (live) {
            drawStatus();
        }
        out.flush();
    }

    @Override
    public void publishStarted(int relations, boolean atomic) {
        clearStatus();
        out.println(stamp() + "Audit passed; publishing " + relations + " relation" + (relations == 1 ? "" : "s")
                + (atomic ? " in one transaction" : ", one table at a time (not one atomic step, see docs/engines.md)"));
        out.flush();
    }

    @Override
    public void publishFinished(PublishResult result) {
        this.publish = result;
    }

    @Override
    public void runFinished(RunResult result) {
        clearStatus();
        printSummary(out, ansi, result, verbose);
        if (publish != null) {
            out.println(publish.summary());
            publish = null;
        }
        out.flush();
    }

    /** The closing summary with every test listed: counts, time, and every failure in full. */
    public static void printSummary(PrintWriter out, Ansi ansi, RunResult result) {
        printSummary(out, ansi, result, true);
    }

    /**
     * The closing summary: with {@code verbose} the table of every test, else one line per layer;
     * then counts, time, and every failure and warning in full.
     */
    public static void printSummary(PrintWriter out, Ansi ansi, RunResult result, boolean verbose) {
        out.println();
        List<String> parts = new ArrayList<>();
        for (NodeStatus status : NodeStatus.values()) {
            int count = result.count(status);
            if (count > 0) {
                parts.add(count + " " + status.label());
            }
        }
        String counts = parts.isEmpty() ? "nothing to do" : String.join(", ", parts);
        if (verbose) {
            printTests(out, ansi, result);
        } else {
            printLayers(out, result);
        }
        String line = "Finished " + result.command() + " in " + seconds(result.elapsed()) + ": " + counts + ".";
        out.println(result.isSuccess() ? ansi.string("@|bold,green " + line + "|@") : ansi.string("@|bold,red " + line + "|@"));
        List<NodeResult> problems = result.results().stream()
                .filter(r -> r.status().isFailure() || r.status() == NodeStatus.WARN).toList();
        for (NodeResult problem : problems) {
            out.println();
            String heading = problem.status().label().toUpperCase(Locale.ROOT) + " in " + problem.node().resourceType()
                    .label() + " " + problem.name() + (problem.node().path() == null ? "" : " (" + problem.node().path() + ")");
            out.println(problem.status() == NodeStatus.WARN ? ansi.string("@|yellow " + heading + "|@")
                    : ansi.string("@|red " + heading + "|@"));
            problem.message().lines().forEach(text -> out.println("  " + text));
            if (!problem.samples().isEmpty()) {
                out.println("  sample failing rows:");
                TextTable table = TextTable.ruled(new ArrayList<>(problem.samples().get(0).keySet())).cutAt(40);
                for (var sample : problem.samples()) {
                    table.row(sample.values().stream().map(v -> v == null ? "NULL" : String.valueOf(v)).toList());
                }
                StringWriter text = new StringWriter();
                table.print(new PrintWriter(text));
                text.toString().lines().forEach(row -> out.println("    " + row));
            }
            if (problem.compiledPath() != null && (problem.error() == null
                    || !problem.message().contains(problem.compiledPath().toString()))) {
                out.println("  compiled SQL: " + problem.compiledPath());
            }
        }
        for (var error : result.errors()) {
            out.println();
            out.println(ansi.string("@|red ERROR after the nodes ran|@"));
            error.getMessage().lines().forEach(text -> out.println("  " + text));
        }
    }

    /** One line per layer (top folder of the node's file): what ran there, by kind and status, and the time. */
    private static void printLayers(PrintWriter out, RunResult result) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        Map<String, Duration> times = new LinkedHashMap<>();
        for (NodeResult r : result.results()) {
            String layer = layer(r.node());
            String kind = r.node().resourceType() == null ? "node" : r.node().resourceType().label();
            counts.computeIfAbsent(layer, k -> new LinkedHashMap<>()).merge(kind + "\u0000" + verb(r.status()), 1, Integer::sum);
            times.merge(layer, r.duration(), Duration::plus);
        }
        if (counts.isEmpty()) {
            return;
        }
        int width = counts.keySet().stream().mapToInt(String::length).max().orElse(5);
        List<Map.Entry<String, Map<String, Integer>>> layers = new ArrayList<>(counts.entrySet());
        // sources and seeds first, singular tests last, the rest in the order they finished
        layers.sort(java.util.Comparator.comparingInt(entry -> switch (entry.getKey()) {
            case "sources", "seeds" -> 0;
            case "tests" -> 2;
            default -> 1;
        }));
        for (Map.Entry<String, Map<String, Integer>> layer : layers) {
            List<String> parts = new ArrayList<>();
            layer.getValue().forEach((what, n) -> {
                String[] kindAndVerb = what.split("\u0000");
                parts.add(n + " " + kindAndVerb[0] + (n == 1 ? " " : "s ") + kindAndVerb[1]);
            });
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %7s  %s", layer.getKey(),
                    seconds(times.get(layer.getKey())), String.join(", ", parts)));
        }
    }

    private static String verb(NodeStatus status) {
        return switch (status) {
            case SUCCESS -> "built";
            case PASS -> "passed";
            case WARN -> "warned";
            case FAIL -> "failed";
            case ERROR -> "errored";
            case SKIPPED -> "skipped";
        };
    }

    private static String layer(NodeInfo node) {
        String path = node.path();
        if (path == null) {
            return "other";
        }
        int slash = path.indexOf('/');
        return slash < 0 ? path.replaceAll("\\.ya?ml$", "") : path.substring(0, slash);
    }

    /** A table of every test that ran: status, failing rows, name, where it is declared. */
    private static void printTests(PrintWriter out, Ansi ansi, RunResult result) {
        List<NodeResult> tests = result.results().stream()
                .filter(r -> r.node().resourceType().isTest() && r.status() != NodeStatus.SKIPPED)
                .sorted(java.util.Comparator.comparing(NodeResult::name)).toList();
        if (tests.isEmpty()) {
            return;
        }
        out.println();
        int width = tests.stream().mapToInt(r -> r.name().length()).max().orElse(4);
        out.println(String.format(Locale.ROOT, "%-6s %9s  %-" + width + "s  %s", "STATUS", "FAILURES", "TEST", "DECLARED IN"));
        for (NodeResult test : tests) {
            String status = String.format(Locale.ROOT, "%-6s", test.status().label().toUpperCase(Locale.ROOT));
            String colored = switch (test.status()) {
                case PASS -> ansi.string("@|green " + status + "|@");
                case WARN -> ansi.string("@|yellow " + status + "|@");
                default -> ansi.string("@|red " + status + "|@");
            };
            out.println(colored + String.format(Locale.ROOT, " %9s  %-" + width + "s  %s",
                    test.failures() < 0 ? "-" : String.format(Locale.ROOT, "%,d", test.failures()), test.name(),
                    test.node().path()));
        }
    }

    /** Windows found locked, skipped or re-done, and why: a few in full, then how many more. */
    private static void printWindowNotices(PrintWriter out, List<WindowNotice> notices) {
        int shown = Math.min(notices.size(), 5);
        for (int i = 0; i < shown; i++) {
            out.println("    " + notices.get(i).describe());
        }
        if (notices.size() > shown) {
            out.println("    ... and " + (notices.size() - shown) + " more windows found locked ('soma windows' lists them)");
        }
    }

    private static String summary(NodeResult result) {
        String message = result.message() == null ? "" : result.message();
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.length() > 120 ? first.substring(0, 117) + "..." : first;
    }

    private static String describe(NodeInfo node) {
        if (node.resourceType().isTest() || node.relation() == null) {
            return (node.resourceType() == null ? "node" : node.resourceType().label()) + " " + node.name();
        }
        String kind = node.resourceType() == ResourceType.MODEL ? node.materialized() + " model" : node.resourceType().label();
        return kind + " " + node.relation();
    }

    private String position(int index, int total) {
        int width = String.valueOf(total).length();
        return String.format(Locale.ROOT, "%" + width + "d of %d", index, total);
    }

    private static String stamp() {
        return LocalTime.now().format(CLOCK) + "  ";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2fs", duration.toNanos() / 1e9);
    }

    private void drawStatus() {
        if (running.isEmpty()) {
            clearStatus();
            return;
        }
        String names = String.join(", ", running);
        if (names.length() > 70) {
            names = names.substring(0, 67) + "...";
        }
        out.print("\r\u001b[K" + ansi.string("@|faint [" + done + "/" + total + "] running: " + names + "|@"));
        out.flush();
        statusShown = true;
    }

    private void clearStatus() {
        if (statusShown) {
            out.print("\r\u001b[K");
            statusShown = false;
        }
    }
}
