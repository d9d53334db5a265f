package dev.soma.core.warehouse;

/**
 * One row of a table copied in on purpose (a planted duplicate, as a write-audit-publish drill
 * needs) and removed again on {@link #close()}: the copy is the table's last row by DuckDB's
 * {@code rowid}.
 *
 * <pre>{@code
 * try (DuplicateRow duplicate = DuplicateRow.insert(warehouse, owner, "raw", "sales")) {
 *     // build and audit with one sale twice
 * }
 * }</pre>
 */
public final class DuplicateRow implements AutoCloseable {

    private final Warehouse warehouse;
    private final SqlOwner owner;
    private final String table;

    private DuplicateRow(Warehouse warehouse, SqlOwner owner, String table) {
        this.warehouse = warehouse;
        this.owner = owner;
        this.table = table;
    }

    /** Copies one row of {@code schema.name} in again. */
    public static DuplicateRow insert(Warehouse warehouse, SqlOwner owner, String schema, String name) {
        String table = Identifiers.qualify(schema, name);
        warehouse.execute(owner, "INSERT INTO " + table + " SELECT * FROM " + table + " LIMIT 1");
        return new DuplicateRow(warehouse, owner, table);
    }

    /** Deletes the copy (the last row). */
    @Override
    public void close() {
        warehouse.execute(owner, "DELETE FROM " + table + " WHERE rowid = (SELECT max(rowid) FROM " + table + ")");
    }
}
