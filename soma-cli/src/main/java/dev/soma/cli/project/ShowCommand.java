package dev.soma.cli.project;

import dev.soma.cli.ExitCode;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
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
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
            List<List<String>> rows = soma.warehouse().query(SqlOwner.model(name),
                    "SELECT * FROM " + node.relation().quoted() + " LIMIT " + limit, ShowCommand::read);
            long count = soma.warehouse().queryLong(SqlOwner.model(name), "SELECT count(*) FROM " + node.relation().quoted());
            new TextTable(rows).print(out);
            out.println("(" + (rows.size() - 1) + " of " + String.format(java.util.Locale.ROOT, "%,d", count) + " rows of "
                    + node.relation() + ")");
            return ExitCode.OK;
        }
    }

    /** The header row, then each row, as text. */
    private static List<List<String>> read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            header.add(meta.getColumnLabel(c));
        }
        rows.add(header);
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                Object value = rs.getObject(c);
                row.add(value == null ? "NULL" : value.toString());
            }
            rows.add(row);
        }
        return rows;
    }
}
