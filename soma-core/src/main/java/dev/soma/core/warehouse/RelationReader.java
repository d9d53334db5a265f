package dev.soma.core.warehouse;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only looks at one relation of the warehouse: its row count, its first rows, its checksum. The
 * names are quoted here; the caller checks that the relation exists ({@link Warehouse#relationExists}).
 *
 * <pre>{@code
 * RelationPreview first = new RelationReader(warehouse, SqlOwner.model("fact_sales")).preview("analytics", "fact_sales", 10);
 * }</pre>
 *
 * <p>Thread-safe as the {@link Warehouse} it reads.
 */
public final class RelationReader {

    private final Warehouse warehouse;
    private final SqlOwner owner;

    /** @param owner who the statements are issued for (named in any SQL error) */
    public RelationReader(Warehouse warehouse, SqlOwner owner) {
        this.warehouse = warehouse;
        this.owner = owner;
    }

    /** How many rows {@code schema.name} holds. */
    public long count(String schema, String name) {
        return warehouse.queryLong(owner, "SELECT count(*) FROM " + Identifiers.qualify(schema, name));
    }

    /** The first {@code limit} rows (in the relation's own order) and the row count. */
    public RelationPreview preview(String schema, String name, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, got " + limit);
        }
        List<List<String>> table = warehouse.query(owner, "SELECT * FROM " + Identifiers.qualify(schema, name)
                + " LIMIT " + limit, RelationReader::read);
        return new RelationPreview(table.get(0), table.subList(1, table.size()), count(schema, name));
    }

    /** The row count and the sum of the row hashes: whether the contents changed, cheaply. */
    public RelationChecksum checksum(String schema, String name) {
        return warehouse.query(owner, "SELECT count(*), coalesce(sum(hash(f)), 0)::VARCHAR FROM "
                + Identifiers.qualify(schema, name) + " f", rs -> {
            rs.next();
            return new RelationChecksum(rs.getLong(1), rs.getString(2));
        });
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
