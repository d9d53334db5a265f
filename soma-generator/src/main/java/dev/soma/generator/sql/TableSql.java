package dev.soma.generator.sql;

import java.util.List;

/**
 * The SQL that fills one raw table: statements to run once first, then one {@code INSERT … SELECT}
 * per chunk of rows {@code [from, to)}. A row's values depend only on its number, so chunks can be
 * of any size and the table is the same however it is cut.
 */
public interface TableSql {

    /** The table's name in schema {@code raw}. */
    String table();

    /** Rows to generate. */
    long rows();

    /** Statements to run once, after the table exists and before the first chunk. */
    default List<String> prepare() {
        return List.of();
    }

    /**
     * The {@code INSERT} of rows {@code [from, to)}, in row order, reading the row numbers from the
     * chunk table that {@link Lookups#rowsStatement} filled just before.
     */
    String insert(long from, long to);

    /** Statements to run once after the last chunk (dropping temporary helpers). */
    default List<String> finish() {
        return List.of();
    }
}
