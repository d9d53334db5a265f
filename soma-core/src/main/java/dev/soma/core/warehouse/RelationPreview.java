package dev.soma.core.warehouse;

import java.util.List;

/**
 * The first rows of a table or view, as text, and how many rows it holds in all.
 *
 * @param columns   the column names, in order
 * @param rows      the first rows, each cell as text ({@code NULL} for a null)
 * @param totalRows the relation's row count
 */
public record RelationPreview(List<String> columns, List<List<String>> rows, long totalRows) {

    public RelationPreview {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
