package dev.soma.models.internal.contract;

import dev.soma.core.engine.DeclaredTable;
import dev.soma.core.engine.DeclaredTable.DeclaredColumn;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.ConstraintEntry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A contracted model's table as the engine builds it ({@link DeclaredTable}): its declared columns and
 * types in {@linkplain DataTypes normal form}, and its constraints, column- and model-level, gathered into
 * not-null columns, a primary key, unique column sets and checks. Foreign keys and custom constraints are
 * left out (the parser warns about them): a foreign key would stop its parent table from being rebuilt.
 * The engine spells the SQL and enforces what it can ({@code Engine.replaceDeclaredTable}). Stateless.
 */
public final class ContractTable {

    private ContractTable() {
    }

    /** The table {@code model}'s enforced contract declares. */
    public static DeclaredTable of(ModelNode model) {
        Set<String> notNull = new LinkedHashSet<>();
        List<String> primaryKey = new ArrayList<>();
        List<List<String>> unique = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        for (ColumnEntry column : model.columns()) {
            for (ConstraintEntry constraint : column.constraints()) {
                gather(constraint, List.of(column.name()), notNull, primaryKey, unique, checks);
            }
        }
        for (ConstraintEntry constraint : model.constraints()) {
            gather(constraint, constraint.columns(), notNull, primaryKey, unique, checks);
        }
        List<DeclaredColumn> columns = new ArrayList<>();
        for (ColumnEntry column : model.columns()) {
            String name = column.name();
            columns.add(new DeclaredColumn(name, DataTypes.normalise(column.dataType()).orElseThrow(),
                    notNull.contains(name.toLowerCase(Locale.ROOT))));
        }
        return new DeclaredTable(columns, primaryKey, unique, checks);
    }

    private static void gather(ConstraintEntry constraint, List<String> columns, Set<String> notNull, List<String> primaryKey,
                               List<List<String>> unique, List<String> checks) {
        switch (constraint.type().toLowerCase(Locale.ROOT)) {
            case "not_null" -> columns.forEach(c -> notNull.add(c.toLowerCase(Locale.ROOT)));
            case "primary_key" -> {
                // A key's columns are never NULL, on every engine (enforced even where the key itself is not).
                columns.forEach(c -> notNull.add(c.toLowerCase(Locale.ROOT)));
                columns.stream().filter(c -> !primaryKey.contains(c)).forEach(primaryKey::add);
            }
            case "unique" -> unique.add(List.copyOf(columns));
            case "check" -> checks.add(constraint.expression());
            default -> {
                // foreign_key, custom: not enforced (the parser's warning says so)
            }
        }
    }
}
