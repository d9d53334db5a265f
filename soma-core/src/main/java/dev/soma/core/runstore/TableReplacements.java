package dev.soma.core.runstore;

import dev.soma.core.engine.ColumnDefinition;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.HashMap;
import java.util.List;
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
 * that a model's last successful build saw. The SQL is the session's engine's (names, types, the upsert as
 * its {@link Engine#merge}). Not thread-safe; one call per session at a time.
 */
public final class TableReplacements {

    private static final SqlOwner OWNER = SqlOwner.soma("table replacements");
    private static final String REPLACEMENTS = "table_replacements";
    private static final String BUILDS = "incremental_builds";

    private TableReplacements() {
    }

    private static void ensureTables(Session session) {
        Engine engine = session.engine();
        String text = engine.dialect().typeString();
        session.createSchema(RunStore.SCHEMA);
        session.createIfMissing(OWNER, engine.createTableIfMissing(relation(session, REPLACEMENTS), List.of(
                ColumnDefinition.required("schema_name", text), ColumnDefinition.required("table_name", text),
                ColumnDefinition.required("generation", "BIGINT"), ColumnDefinition.required("replaced_at", "TIMESTAMP"),
                ColumnDefinition.of("replaced_by", text)), List.of()));
        session.createIfMissing(OWNER, engine.createTableIfMissing(relation(session, BUILDS), List.of(
                ColumnDefinition.required("relation", text), ColumnDefinition.required("generation", "BIGINT")),
                List.of("relation")));
    }

    private static String relation(Session session, String table) {
        return session.engine().dialect().relation(RunStore.SCHEMA, table);
    }

    /**
     * Records that {@code schema.table} was replaced; call it in the transaction that replaces the table.
     *
     * @param by who replaced it, e.g. {@code soma generate}
     */
    public static void recordReplaced(Session session, String schema, String table, String by) {
        ensureTables(session);
        Dialect d = session.engine().dialect();
        String replacements = relation(session, REPLACEMENTS);
        session.execute(OWNER, "INSERT INTO " + replacements + " SELECT " + d.literal(schema) + ", " + d.literal(table)
                + ", coalesce(max(generation), 0) + 1, CAST(current_timestamp AS TIMESTAMP), " + d.literal(by)
                + " FROM " + replacements);
    }

    /** The newest replacement generation of each replaced table, keyed {@code schema.table} in lower case. */
    public static Map<String, Long> latest(Session session) {
        Map<String, Long> latest = new HashMap<>();
        if (!exists(session)) {
            return latest;
        }
        session.queryList(OWNER, "SELECT schema_name, table_name, max(generation) FROM " + relation(session, REPLACEMENTS)
                        + " GROUP BY schema_name, table_name",
                rs -> latest.put(key(rs.getString(1), rs.getString(2)), rs.getLong(3)));
        return latest;
    }

    /** The generation each incremental model's last build saw, keyed {@code schema.table} in lower case. */
    public static Map<String, Long> builtAgainst(Session session) {
        Map<String, Long> built = new HashMap<>();
        if (!exists(session)) {
            return built;
        }
        session.queryList(OWNER, "SELECT relation, generation FROM " + relation(session, BUILDS),
                rs -> built.put(rs.getString(1), rs.getLong(2)));
        return built;
    }

    /** Records that the incremental model {@code schema.table} was built against {@code generation}. */
    public static void recordBuilt(Session session, String schema, String table, long generation) {
        ensureTables(session);
        Dialect d = session.engine().dialect();
        // An upsert on the key: the engine's MERGE (a row per model, replaced by its newest build).
        session.execute(OWNER, session.engine().merge(List.of("relation"), relation(session, BUILDS), "(SELECT "
                + d.literal(key(schema, table)) + " AS " + d.quote("relation") + ", CAST(" + generation + " AS BIGINT) AS "
                + d.quote("generation") + ")"));
    }

    /** {@code schema.table} in lower case: the engines match identifiers case-insensitively. */
    public static String key(String schema, String table) {
        return (schema + "." + table).toLowerCase(Locale.ROOT);
    }

    private static boolean exists(Session session) {
        return session.engine().relationKind(session, RunStore.SCHEMA, "table_replacements") != null;
    }
}
