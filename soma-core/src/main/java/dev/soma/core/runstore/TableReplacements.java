package dev.soma.core.runstore;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which raw tables were replaced wholesale (by {@code soma generate --replace}, or a load in replace
 * mode), and which replacement each incremental model was last built against. An incremental model
 * appends or merges only rows newer than what it holds, so after its inputs were replaced it must be
 * rebuilt in full; the engine compares the two generations to decide.
 *
 * <p>Two tables in {@code soma_meta}: {@code table_replacements} (schema_name, table_name, generation,
 * replaced_at, replaced_by), one row per replacement, generations increasing across the database; and
 * {@code incremental_builds} (relation, generation): the newest replacement generation of its inputs
 * that a model's last successful build saw. Not thread-safe; one call per session at a time.
 */
public final class TableReplacements {

    private static final SqlOwner OWNER = SqlOwner.soma("table replacements");
    private static final String REPLACEMENTS = Identifiers.qualify(RunStore.SCHEMA, "table_replacements");
    private static final String BUILDS = Identifiers.qualify(RunStore.SCHEMA, "incremental_builds");

    private TableReplacements() {
    }

    private static void ensureTables(Session session) {
        session.createSchema(RunStore.SCHEMA);
        session.createIfMissing(OWNER, "CREATE TABLE IF NOT EXISTS " + REPLACEMENTS + " (schema_name VARCHAR NOT NULL, "
                + "table_name VARCHAR NOT NULL, generation BIGINT NOT NULL, replaced_at TIMESTAMP NOT NULL, replaced_by VARCHAR)");
        session.createIfMissing(OWNER, "CREATE TABLE IF NOT EXISTS " + BUILDS + " (relation VARCHAR PRIMARY KEY, generation BIGINT NOT NULL)");
    }

    /**
     * Records that {@code schema.table} was replaced; call it in the transaction that replaces the table.
     *
     * @param by who replaced it, e.g. {@code soma generate}
     */
    public static void recordReplaced(Session session, String schema, String table, String by) {
        ensureTables(session);
        session.execute(OWNER, "INSERT INTO " + REPLACEMENTS + " SELECT " + Identifiers.literal(schema) + ", "
                + Identifiers.literal(table) + ", coalesce(max(generation), 0) + 1, current_timestamp::TIMESTAMP, "
                + Identifiers.literal(by) + " FROM " + REPLACEMENTS);
    }

    /** The newest replacement generation of each replaced table, keyed {@code schema.table} in lower case. */
    public static Map<String, Long> latest(Session session) {
        Map<String, Long> latest = new HashMap<>();
        if (!exists(session)) {
            return latest;
        }
        session.queryList(OWNER, "SELECT schema_name, table_name, max(generation) FROM " + REPLACEMENTS + " GROUP BY ALL",
                rs -> latest.put(key(rs.getString(1), rs.getString(2)), rs.getLong(3)));
        return latest;
    }

    /** The generation each incremental model's last build saw, keyed {@code schema.table} in lower case. */
    public static Map<String, Long> builtAgainst(Session session) {
        Map<String, Long> built = new HashMap<>();
        if (!exists(session)) {
            return built;
        }
        session.queryList(OWNER, "SELECT relation, generation FROM " + BUILDS,
                rs -> built.put(rs.getString(1), rs.getLong(2)));
        return built;
    }

    /** Records that the incremental model {@code schema.table} was built against {@code generation}. */
    public static void recordBuilt(Session session, String schema, String table, long generation) {
        ensureTables(session);
        session.execute(OWNER, "INSERT OR REPLACE INTO " + BUILDS + " VALUES (" + Identifiers.literal(key(schema, table))
                + ", " + generation + ")");
    }

    /** {@code schema.table} in lower case: DuckDB matches identifiers case-insensitively. */
    public static String key(String schema, String table) {
        return (schema + "." + table).toLowerCase(Locale.ROOT);
    }

    private static boolean exists(Session session) {
        return session.engine().relationKind(session, RunStore.SCHEMA, "table_replacements") != null;
    }
}
