package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.spec.SourceSpec;

/**
 * The checked rows a load into a new table leaves out, by row id, in a temp table ({@code r}, {@code why}): rejected
 * ({@code why} 0), before the cursor (1), or a later record of a key already among the candidates (2; the first of a
 * key in file order wins, as in an append). Found with one aggregate over the keys that keeps only the keys that
 * repeat (a count per key, no row id), and a window over the rows of those keys alone: keys rarely repeat, so the
 * semi-join's build side is tiny and no window sorts every row.
 *
 * @param table      the temp table, quoted
 * @param rejected   rows that broke a rule
 * @param skipped    valid rows before the cursor
 * @param duplicates valid rows in range whose key an earlier row has
 */
record RowsLeftOut(String table, long rejected, long skipped, long duplicates) {

    static RowsLeftOut find(Session session, SqlOwner owner, SourceSpec spec, StageTable stage, String inRange, String tag) {
        String table = Identifiers.quote("soma_left_out_" + tag);
        String checked = stage.quoted();
        String candidate = stage.accepted() + " AND " + inRange;
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE " + table + " AS SELECT rowid AS r, CASE WHEN "
                + stage.rejected() + " THEN 0 ELSE 1 END AS why FROM " + checked + " WHERE NOT coalesce(" + candidate + ", false)");
        // Keys proven distinct by a bitmap (DistinctKeys) need no search for repeats.
        String key = DistinctKeys.proven(session, owner, spec, checked, candidate) ? null : key(spec);
        if (key != null) {
            // The aggregate keeps no row id (a count per key is the cheapest state); the few rows of repeated keys are
            // ranked afterwards by a window over them alone.
            sql.append(" UNION ALL SELECT r, 2 FROM (SELECT rowid AS r, row_number() OVER (PARTITION BY ").append(key)
                    .append(" ORDER BY rowid) AS n FROM ").append(checked).append(" WHERE ").append(candidate).append(" AND ")
                    .append(key).append(" IN (SELECT ").append(key).append(" FROM ").append(checked).append(" WHERE ")
                    .append(candidate).append(" GROUP BY 1 HAVING count(*) > 1)) WHERE n > 1");
        }
        session.execute(owner, sql.toString());
        return session.query(owner, "SELECT count(*) FILTER (WHERE why = 0), count(*) FILTER (WHERE why = 1), "
                + "count(*) FILTER (WHERE why = 2) FROM " + table, rs -> {
                    rs.next();
                    return new RowsLeftOut(table, rs.getLong(1), rs.getLong(2), rs.getLong(3));
                });
    }

    /** What identifies a record, as one value; null without a key. */
    private static String key(SourceSpec spec) {
        if (!spec.keyFallback().isEmpty()) {
            return Validation.identity(spec, "");
        }
        if (spec.key().isEmpty()) {
            return null;
        }
        return spec.key().size() == 1 ? Validation.q(spec.key().get(0))
                : "(" + String.join(", ", spec.key().stream().map(Validation::q).toList()) + ")";
    }

    long total() {
        return rejected + skipped + duplicates;
    }

    void drop(Session session, SqlOwner owner) {
        session.execute(owner, "DROP TABLE IF EXISTS " + table);
    }
}
