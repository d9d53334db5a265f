package dev.soma.generator;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;

import java.util.EnumMap;
import java.util.Map;

/** An order-sensitive digest of every raw table: any changed value, or rows in another order, change it. */
final class Fingerprints {

    private Fingerprints() {
    }

    static Map<RawTable, String> of(Warehouse warehouse) {
        Map<RawTable, String> digests = new EnumMap<>(RawTable.class);
        for (RawTable table : RawTable.values()) {
            digests.put(table, warehouse.relationExists(RawTable.SCHEMA, table.tableName()) ? of(warehouse, table) : "missing");
        }
        return digests;
    }

    static String of(Warehouse warehouse, RawTable table) {
        String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY t.rowid)), '')"
                + " FROM raw." + table.tableName() + " t";
        return warehouse.query(SqlOwner.soma("test"), sql, rs -> {
            rs.next();
            return rs.getString(1);
        });
    }
}
