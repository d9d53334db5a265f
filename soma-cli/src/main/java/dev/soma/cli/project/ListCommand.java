package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.models.Soma;
import dev.soma.models.api.ModelChange;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code soma ls}: lists the selected nodes in dependency order. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "List the selected nodes (models, seeds, sources, tests) in dependency order.")
public final class ListCommand implements Callable<Integer> {

    /** What {@code ls} prints per node. */
    enum Output { table, name, path, id }

    @Mixin
    ProjectOptions options;

    @Option(names = "--resource-type", paramLabel = "TYPE", description = "Only nodes of this type: ${COMPLETION-CANDIDATES}.")
    ResourceType resourceType;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), name, path or id.")
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // One buffered writer, flushed once: picocli's own flushes on every line (20,000 writes for a big project).
        PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
        try {
            if (options.selectsEverything()) {
                // the whole project: from target/ls_snapshot.bin when no input changed (SomaBuilder.listAll)
                print(out, options.builder(RunListener.NONE, true).listAll(), List.of());
                return ExitCode.OK;
            }
            try (Soma soma = options.readOnly()) {
                ExecuteCommand.warnUnmatched(spec, soma.unmatched(options.selection()));
                print(out, soma.list(options.selection()), soma.changes(options.selection()));
                return ExitCode.OK;
            }
        } finally {
            out.flush();
        }
    }

    private void print(PrintWriter out, List<NodeInfo> listed, List<ModelChange> changes) {
        List<NodeInfo> nodes = listed.stream().filter(n -> resourceType == null || n.resourceType() == resourceType).toList();
        int width = nodes.stream().mapToInt(n -> n.name().length()).max().orElse(4);
        StringBuilder line = new StringBuilder(128);
        for (NodeInfo node : nodes) {
            switch (output) {
                case name -> out.println(node.name());
                case path -> out.println(node.path());
                case id -> out.println(node.uniqueId());
                case table -> {
                    // "%-7s %-<width>s  %-12s %s", without a Formatter per line
                    line.setLength(0);
                    padded(line, node.resourceType().label(), 7).append(' ');
                    padded(line, node.name(), width).append("  ");
                    padded(line, String.valueOf(node.materialized()), 12).append(' ');
                    out.println(line.append(node.relation() == null ? "" : node.relation()));
                }
            }
        }
        if (output == Output.table) {
            out.println(nodes.size() + " node" + (nodes.size() == 1 ? "" : "s"));
            // with --state: whether each modified model's change reaches what is built from it (docs/ci.md)
            for (ModelChange change : changes) {
                out.println(String.format(Locale.ROOT, "%-12s %-" + width + "s  %s", change.kind().label(), change.name(),
                        String.join("; ", change.reasons())));
            }
        }
    }

    /** {@code text} left-aligned in {@code width} characters, as {@code %-<width>s} would. */
    private static StringBuilder padded(StringBuilder line, String text, int width) {
        line.append(text);
        for (int i = text.length(); i < width; i++) {
            line.append(' ');
        }
        return line;
    }
}
