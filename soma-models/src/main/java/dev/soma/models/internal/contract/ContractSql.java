package dev.soma.models.internal.contract;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.ConstraintEntry;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The DuckDB SQL of contracts: the columns a query would give (without running it), and a contracted
 * table's DDL, its declared columns and types with the constraints DuckDB enforces (not_null, unique,
 * primary_key, check), filled by an insert that casts to the declared types. Foreign keys are left out:
 * DuckDB would then refuse to drop the parent table, which every rebuild of it does.
 */
public final class ContractSql {

    private ContractSql() {
    }

    /** Column names and types of {@code sql}'s result: DuckDB plans the query, runs nothing. */
    public static String describe(String sql) {
        return "DESCRIBE (\n" + sql + "\n)";
    }

    /** {@code CREATE TABLE} of {@code relation} with the model's declared columns, types and constraints. */
    public static String createTable(Relation relation, ModelNode model) {
        StringJoiner body = new StringJoiner(",\n  ", "(\n  ", "\n)");
        for (ColumnEntry column : model.columns()) {
            StringBuilder definition = new StringBuilder(Identifiers.quote(column.name())).append(' ')
                    .append(DataTypes.normalise(column.dataType()).orElseThrow());
            for (ConstraintEntry constraint : column.constraints()) {
                String clause = columnClause(constraint);
                if (clause != null) {
                    definition.append(' ').append(clause);
                }
            }
            body.add(definition);
        }
        for (ConstraintEntry constraint : model.constraints()) {
            String clause = tableClause(constraint);
            if (clause != null) {
                body.add(clause);
            }
        }
        return "CREATE TABLE " + relation.quoted() + " " + body;
    }

    /** Fills a contracted table from {@code sql}, column by declared name, cast to the declared types. */
    public static String insert(Relation relation, ModelNode model, String sql) {
        StringJoiner columns = new StringJoiner(", ");
        model.columns().forEach(column -> columns.add(Identifiers.quote(column.name())));
        return "INSERT INTO " + relation.quoted() + " (" + columns + ")\nSELECT " + columns + " FROM (\n" + sql
                + "\n) AS soma_contracted";
    }

    private static String columnClause(ConstraintEntry constraint) {
        return switch (constraint.type().toLowerCase(Locale.ROOT)) {
            case "not_null" -> "NOT NULL";
            case "unique" -> "UNIQUE";
            case "primary_key" -> "PRIMARY KEY";
            case "check" -> "CHECK (" + constraint.expression() + ")";
            default -> null;
        };
    }

    private static String tableClause(ConstraintEntry constraint) {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        constraint.columns().forEach(column -> columns.add(Identifiers.quote(column)));
        return switch (constraint.type().toLowerCase(Locale.ROOT)) {
            case "unique" -> "UNIQUE " + columns;
            case "primary_key" -> "PRIMARY KEY " + columns;
            case "check" -> "CHECK (" + constraint.expression() + ")";
            case "not_null" -> notNull(constraint.columns());
            default -> null;
        };
    }

    /** A model-level not_null on several columns is one check. */
    private static String notNull(List<String> columns) {
        StringJoiner all = new StringJoiner(" AND ", "CHECK (", ")");
        columns.forEach(column -> all.add(Identifiers.quote(column) + " IS NOT NULL"));
        return all.toString();
    }
}
