package dev.soma.core.engine;

import java.util.List;

/**
 * A table declared column by column, with the constraints it should hold (a model contract): what
 * {@link Engine#replaceDeclaredTable} builds. Each engine enforces what it can and says what it cannot
 * ({@link Engine#unenforced}).
 *
 * @param columns    the columns in order
 * @param primaryKey the primary key's columns, or empty
 * @param unique     column sets each unique, in order
 * @param checks     boolean SQL expressions over the columns, each true (or NULL) on every row
 */
public record DeclaredTable(List<DeclaredColumn> columns, List<String> primaryKey, List<List<String>> unique,
                            List<String> checks) {

    public DeclaredTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        unique = unique.stream().map(List::copyOf).toList();
        checks = List.copyOf(checks);
    }

    /**
     * One declared column.
     *
     * @param type    its type in Soma's normal form (DuckDB's names, e.g. {@code VARCHAR}, {@code INTEGER},
     *                {@code DECIMAL(10,2)}), which each engine's {@link Dialect#typeName} spells its own way
     * @param notNull whether a NULL fails the build
     */
    public record DeclaredColumn(String name, String type, boolean notNull) {
    }
}
