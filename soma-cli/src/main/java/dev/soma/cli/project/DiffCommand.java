package dev.soma.cli.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.soma.cli.ExitCode;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.models.Soma;
import dev.soma.models.api.DiffRequest;
import dev.soma.models.api.DiffRequest.Side;
import dev.soma.models.api.DiffResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code soma diff}: how a model's relation differs between two targets, the state and now, or two relations. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare a model's relation on two sides: row counts, schema differences, rows on one side only, "
                + "and per column how many rows matched on the model's unique key differ, with a few samples.",
                "Sides: --target-a/--target-b (targets of soma_project.yml), --state DIR (side a: where the earlier run "
                        + "built it), or --relation-a/--relation-b (schema.name). Default side b: the current target.",
                "Nothing is written; exits 0 whatever the differences, 2 when a side cannot be read."})
public final class DiffCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    ProjectOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "The model (or seed) to compare.")
    String model;

    @Option(names = "--target-a", paramLabel = "NAME", description = "Side a: this target's database.")
    String targetA;

    @Option(names = "--target-b", paramLabel = "NAME", description = "Side b: this target's database. Default: the current target.")
    String targetB;

    @Option(names = "--relation-a", paramLabel = "SCHEMA.NAME", description = "Side a: this relation instead of the model's.")
    String relationA;

    @Option(names = "--relation-b", paramLabel = "SCHEMA.NAME", description = "Side b: this relation instead of the model's.")
    String relationB;

    @Option(names = "--key", paramLabel = "COLUMN", split = ",",
            description = "Columns that identify a row. Default: the model's unique_key; none: rows compared whole.")
    List<String> key;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "5", description = "Sample rows per finding (default 5).")
    int samples;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (samples < 0) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "--samples must not be negative, got " + samples);
        }
        boolean stateSide = options.state != null && targetA == null && relationA == null;
        if (model == null && (relationA == null || relationB == null)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "name a model to diff, or two relations with --relation-a and --relation-b");
        }
        Side a = new Side(targetA, stateSide, relationA);
        Side b = new Side(targetB, false, relationB);
        if (!stateSide && targetA == null && relationA == null) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "say what to compare with: --target-a NAME, --state DIR or --relation-a SCHEMA.NAME");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Soma soma = options.readOnly()) {
            DiffResult diff = soma.diff(new DiffRequest(model, a, b, key, samples));
            if (format == Format.json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(diff));
            } else {
                print(out, diff);
            }
        }
        return ExitCode.OK;
    }

    private void print(PrintWriter out, DiffResult diff) {
        out.println("a: " + diff.a());
        out.println("b: " + diff.b());
        out.println("key: " + (diff.key().isEmpty() ? "none (rows compared whole)" : String.join(", ", diff.key())));
        out.printf(Locale.ROOT, "rows: a %,d  b %,d  matched %,d  only in a %,d  only in b %,d%n", diff.rowsA(), diff.rowsB(),
                diff.matched(), diff.onlyInA(), diff.onlyInB());
        for (DiffResult.SchemaChange change : diff.schema()) {
            out.println("schema: " + change.column() + (change.typeA() == null ? " only in b (" + change.typeB() + ")"
                    : change.typeB() == null ? " only in a (" + change.typeA() + ")"
                    : " type " + change.typeA() + " -> " + change.typeB()));
        }
        for (DiffResult.ColumnDiff column : diff.columns()) {
            if (column.differing() > 0) {
                out.printf(Locale.ROOT, "column %s: %,d of %,d matched rows differ (%.2f%%)%n", column.column(), column.differing(),
                        diff.matched(), column.share() * 100);
                column.samples().forEach(sample -> out.println("  " + sample));
            }
        }
        sample(out, "only in a", diff.samplesA());
        sample(out, "only in b", diff.samplesB());
        out.println(diff.identical() ? "identical" : "different");
    }

    private static void sample(PrintWriter out, String title, List<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            out.println(title + ":");
            rows.forEach(row -> out.println("  " + row));
        }
    }
}
