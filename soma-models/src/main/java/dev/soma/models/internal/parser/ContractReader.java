package dev.soma.models.internal.parser;

import dev.soma.core.text.Suggestions;
import dev.soma.models.api.ProjectWarning;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.contract.DataTypes;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.ConstraintEntry;
import dev.soma.models.internal.project.SchemaFile.ModelEntry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a model's contract when it is read: with {@code contract: {enforced: true}} every declared
 * column needs a {@code data_type} that parses ({@link DataTypes}), and every constraint a known type
 * with what that type needs. Says once, as a warning, which constraints DuckDB will not enforce here.
 */
final class ContractReader {

    static final List<String> CONSTRAINT_TYPES = List.of("not_null", "unique", "primary_key", "check", "foreign_key", "custom");

    private ContractReader() {
    }

    /**
     * @param file the YAML file of the model's entry, or {@code null}
     * @return warnings about constraints that will not be enforced
     * @throws ProjectException for a missing or unparsable data type, or a malformed constraint, at its line
     */
    static List<ProjectWarning> check(String name, String path, NodeConfig config, Materialization materialized,
                                      ModelEntry entry, YamlFile file) {
        if (!config.contractEnforced()) {
            return List.of();
        }
        if (materialized == Materialization.EPHEMERAL) {
            throw new ProjectException(SourceLocation.of(path), "model " + name + " is ephemeral and has an enforced "
                    + "contract; an ephemeral model builds nothing to enforce it on. Materialize it as a view or table, or "
                    + "drop contract: {enforced: true}");
        }
        if (entry == null || entry.columns().isEmpty()) {
            throw new ProjectException(file == null ? SourceLocation.of(path) : file.at(name), "model " + name
                    + " has an enforced contract but declares no columns; list them under columns: with name and data_type");
        }
        Set<String> columns = new LinkedHashSet<>();
        List<String> unenforced = new ArrayList<>();
        for (ColumnEntry column : entry.columns()) {
            SourceLocation at = file.at(column.name());
            if (column.dataType() == null || column.dataType().isBlank()) {
                throw new ProjectException(at, "column " + column.name() + " of model " + name + " has no data_type, and "
                        + "the model's contract is enforced; add data_type: <type> (e.g. integer, varchar, decimal(10,2))");
            }
            if (DataTypes.normalise(column.dataType()).isEmpty()) {
                int line = file.lineOf("data_type", column.dataType());
                throw new ProjectException(line > 0 ? SourceLocation.of(file.path(), line) : at, "column " + column.name()
                        + " of model " + name + " has data_type '" + column.dataType() + "', which is no type DuckDB knows; "
                        + "use a type such as integer, bigint, double, decimal(10,2), varchar, boolean, date or timestamp");
            }
            columns.add(column.name().toLowerCase(Locale.ROOT));
            for (ConstraintEntry constraint : column.constraints()) {
                checkConstraint(name, constraint, file, at, false, columns, unenforced, materialized);
            }
        }
        for (ConstraintEntry constraint : entry.constraints()) {
            checkConstraint(name, constraint, file, file.at(name), true, columns, unenforced, materialized);
            for (String column : constraint.columns()) {
                if (!columns.contains(column.toLowerCase(Locale.ROOT))) {
                    throw new ProjectException(file.at(name), "a " + constraint.type() + " constraint of model " + name
                            + " names column " + column + ", which its contract does not declare"
                            + Suggestions.didYouMean(column, columns) + "; declare it under columns:");
                }
            }
        }
        if (unenforced.isEmpty()) {
            return List.of();
        }
        return List.of(new ProjectWarning(file.path(), name, "model " + name + ": " + String.join("; ", unenforced)));
    }

    private static void checkConstraint(String model, ConstraintEntry constraint, YamlFile file, SourceLocation at,
                                        boolean modelLevel, Set<String> columns, List<String> unenforced,
                                        Materialization materialized) {
        String type = constraint.type() == null ? null : constraint.type().toLowerCase(Locale.ROOT);
        if (type == null || !CONSTRAINT_TYPES.contains(type)) {
            int line = constraint.type() == null ? 0 : file.lineOf("type", constraint.type());
            throw new ProjectException(line > 0 ? SourceLocation.of(file.path(), line) : at, "model " + model
                    + (type == null ? " has a constraint without a type" : " has a constraint of unknown type '" + constraint.type()
                    + "'" + Suggestions.didYouMean(constraint.type(), CONSTRAINT_TYPES)) + "; use one of "
                    + String.join(", ", CONSTRAINT_TYPES));
        }
        if (type.equals("check") && (constraint.expression() == null || constraint.expression().isBlank())) {
            throw new ProjectException(at, "a check constraint of model " + model + " has no expression; add "
                    + "expression: \"<condition>\"");
        }
        if (type.equals("foreign_key") && constraint.to() == null && (constraint.expression() == null
                || constraint.expression().isBlank())) {
            throw new ProjectException(at, "a foreign_key constraint of model " + model + " names no parent; add "
                    + "to: ref('<model>') and to_columns: [<column>]");
        }
        if (modelLevel && constraint.columns().isEmpty() && !type.equals("check") && !type.equals("custom")) {
            throw new ProjectException(at, "a model-level " + type + " constraint of model " + model + " names no "
                    + "columns; add columns: [<column>] or put it on the column");
        }
        String label = type + (constraint.columns().isEmpty() ? "" : " (" + String.join(", ", constraint.columns()) + ")");
        if (materialized == Materialization.VIEW) {
            unenforced.add(label + " is not enforced on a view");
        } else if (type.equals("foreign_key")) {
            unenforced.add(label + " is not enforced: a foreign key would stop its parent table from being rebuilt");
        } else if (type.equals("custom")) {
            unenforced.add(label + " is not enforced: DuckDB has no custom constraints");
        }
    }
}
