package dev.soma.models.internal.materialize;

import dev.soma.core.engine.Dialect;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.Relation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code soma_meta.view_fingerprints}: for each view a run built, the fingerprint of what it was built from
 * (its statement and the columns of what it reads, see {@code ViewFreshness}). A view whose fingerprint is
 * unchanged is not created again. A row is written in the transaction that creates its view, so the two
 * commit together; whatever re-creates a view without writing its row (a build outside a batch, publishing)
 * deletes the row first, so a row never describes a view other than the one in the catalog.
 *
 * <p>Owned by soma-models. Key: {@code schema.name} in lower case (the engines match names that way).
 */
public final class ViewLedger {

    /** The table's name in {@link RunStore#SCHEMA}. */
    public static final String TABLE = "view_fingerprints";

    private static final SqlOwner OWNER = SqlOwner.soma("view fingerprints");
    private static final int CHUNK = 500;

    private ViewLedger() {
    }

    /** The key of {@code relation} in the ledger. */
    public static String key(Relation relation) {
        return (relation.schema() + "." + relation.identifier()).toLowerCase(Locale.ROOT);
    }

    /** Creates the table if it is missing. */
    public static void ensureTable(Session session) {
        session.createSchema(RunStore.SCHEMA);
        String text = session.engine().dialect().typeString();
        session.createIfMissing(OWNER, "CREATE TABLE IF NOT EXISTS " + table(session) + " (relation " + text
                + ", fingerprint " + text + ")");
    }

    /** Every recorded fingerprint, by {@link #key}; empty when the table does not exist. */
    public static Map<String, String> load(Session session) {
        Map<String, String> rows = new HashMap<>();
        if (!session.relationExists(RunStore.SCHEMA, TABLE)) {
            return rows;
        }
        session.queryList(OWNER, "SELECT relation, fingerprint FROM " + table(session),
                rs -> rows.put(rs.getString(1), rs.getString(2)));
        return rows;
    }

    /**
     * Replaces the rows of the views in {@code fingerprints} (key to fingerprint) by these; the table exists
     * ({@link #ensureTable}).
     */
    public static void record(Session session, Map<String, String> fingerprints) {
        if (fingerprints.isEmpty()) {
            return;
        }
        delete(session, fingerprints.keySet());
        Dialect d = session.engine().dialect();
        List<Map.Entry<String, String>> entries = new ArrayList<>(fingerprints.entrySet());
        for (int from = 0; from < entries.size(); from += CHUNK) {
            StringJoiner values = new StringJoiner(", ");
            for (Map.Entry<String, String> e : entries.subList(from, Math.min(entries.size(), from + CHUNK))) {
                values.add("(" + d.literal(e.getKey()) + ", " + d.literal(e.getValue()) + ")");
            }
            session.execute(OWNER, "INSERT INTO " + table(session) + " VALUES " + values);
        }
    }

    /** Deletes the rows of {@code keys}: those views are built again without a fingerprint. */
    public static void forget(Session session, Collection<String> keys) {
        if (!keys.isEmpty() && session.relationExists(RunStore.SCHEMA, TABLE)) {
            delete(session, keys);
        }
    }

    private static void delete(Session session, Collection<String> keys) {
        Dialect d = session.engine().dialect();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            StringJoiner in = new StringJoiner(", ", "(", ")");
            all.subList(from, Math.min(all.size(), from + CHUNK)).forEach(k -> in.add(d.literal(k)));
            session.execute(OWNER, "DELETE FROM " + table(session) + " WHERE relation IN " + in);
        }
    }

    private static String table(Session session) {
        return session.engine().dialect().relation(RunStore.SCHEMA, TABLE);
    }
}
