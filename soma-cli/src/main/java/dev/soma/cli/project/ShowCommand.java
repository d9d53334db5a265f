package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.cli.console.TextTable;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.RelationPreview;
import dev.soma.core.warehouse.RelationReader;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.RunListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code soma show MODEL}: prints the first rows of a built model, seed or source. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the first rows of a model, seed or source (raw.books) as built in the database.")
public final class ShowCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Parameters(paramLabel = "NODE", description = "The model, seed or source (source.table) to show.")
    String name;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many rows (default ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "--limit must be 0 or more, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Soma soma = options.builder(RunListener.NONE, true).build()) {
            NodeInfo node = soma.node(name);
            if (node.relation() == null) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, name + " is a " + node.resourceType().label()
                        + ", which has no table to show");
            }
            if (!soma.warehouse().relationExists(node.relation().schema(), node.relation().identifier())) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, node.resourceType().label() + " " + name + " is not built in "
                        + soma.warehouse().describe() + " (no " + node.relation() + ")"
                        + ("source".equals(node.materialized()) ? "; load the raw data first, e.g. 'soma generate'"
                        : "; build it with 'soma run -s " + name + "'"));
            }
            RelationPreview preview = new RelationReader(soma.warehouse(), SqlOwner.model(name))
                    .preview(node.relation().schema(), node.relation().identifier(), limit);
            TextTable table = TextTable.ruled(preview.columns()).cutAt(40);
            preview.rows().forEach(table::row);
            table.print(out);
            out.println("(" + preview.rows().size() + " of " + String.format(Locale.ROOT, "%,d", preview.totalRows())
                    + " rows of " + node.relation() + ")");
            return ExitCode.OK;
        }
    }
}
