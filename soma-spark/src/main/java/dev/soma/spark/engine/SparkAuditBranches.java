package dev.soma.spark.engine;

import dev.soma.core.engine.AuditBranches;
import dev.soma.core.engine.Column;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Iceberg's write-audit-publish: the audit copy of a table is its branch {@value AuditBranches#BRANCH}
 * ({@code ALTER TABLE … CREATE BRANCH}), written as {@code `catalog`.`schema`.`table`.`branch_soma_audit`},
 * read the same way by the tests, made live by {@code CALL <catalog>.system.fast_forward(table, 'main',
 * branch)} and dropped with {@code ALTER TABLE … DROP BRANCH}.
 *
 * <p>A branch has its table's columns. A table that does not exist yet is created empty, without a
 * snapshot, to hold the branch (what nothing live can read; a failed audit drops it again); a model whose
 * columns changed since its live table was built cannot be audited on a branch (the table's schema would
 * change for the live readers before the audit): it is refused with what to do.
 *
 * <p>Immutable and thread-safe.
 */
final class SparkAuditBranches implements AuditBranches {

    private static final SqlOwner OWNER = SqlOwner.soma("publish");

    private final SparkDialect dialect;
    private final SparkCatalogQueries catalog;

    SparkAuditBranches(SparkDialect dialect, SparkCatalogQueries catalog) {
        this.dialect = dialect;
        this.catalog = catalog;
    }

    /**
     * Writes {@code query}'s rows to the audit branch of {@code schema.name} in place of what it held:
     * the table created empty first when there is none, the branch (re)started at the live rows, then
     * overwritten.
     *
     * @return the rows on the branch
     */
    long write(Session session, SqlOwner owner, String schema, String name, String query) {
        String live = dialect.relation(schema, name);
        List<Column> wanted = queryColumns(session, owner, query);
        if (catalog.relationKind(session, schema, name) == null) {
            StringJoiner columns = new StringJoiner(", ");
            wanted.forEach(c -> columns.add(dialect.quote(c.name()) + " " + c.type()));
            session.execute(owner, "CREATE TABLE " + live + " (" + columns + ") USING iceberg");
        } else {
            List<Column> have = catalog.columns(session, schema, name);
            if (!same(have, wanted)) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, schema + "." + name + ": the model's columns (" + describe(wanted)
                        + ") differ from its live table's (" + describe(have) + "), and an Iceberg branch has its table's "
                        + "columns, so the change cannot be audited on a branch without changing the live table first. "
                        + "Build it once without --publish (soma build --select " + name + "), then publish builds audit it again");
            }
        }
        branch(session, schema, name);
        String branch = branchRelation(schema, name);
        session.execute(owner, "INSERT OVERWRITE " + branch + "\nSELECT * FROM (\n" + query + "\n) AS soma_audit_rows");
        return session.queryLong(owner, "SELECT count(*) FROM " + branch);
    }

    @Override
    public void branch(Session session, String schema, String name) {
        session.execute(OWNER, "ALTER TABLE " + dialect.relation(schema, name) + " CREATE OR REPLACE BRANCH "
                + dialect.quote(BRANCH));
    }

    @Override
    public boolean exists(Session session, String schema, String name) {
        return refs(session, schema, name).containsKey(BRANCH);
    }

    @Override
    public String conflict(Session session, String schema, String name) {
        Map<String, Long> refs = refs(session, schema, name);
        Long main = refs.get("main");
        Long head = refs.get(BRANCH);
        if (main == null || main.equals(head)) {
            return null;
        }
        Map<Long, Long> parents = new HashMap<>();
        session.queryList(OWNER, "SELECT snapshot_id, parent_id FROM " + metadata(schema, name, "snapshots"), rs -> {
            long parent = rs.getLong(2);
            parents.put(rs.getLong(1), rs.wasNull() ? null : parent);
            return null;
        });
        for (Long at = head; at != null; at = parents.get(at)) {
            if (at.equals(main)) {
                return null;
            }
        }
        return "written to after the audit branch was started";
    }

    @Override
    public void publish(Session session, String schema, String name) {
        session.execute(OWNER, "CALL " + dialect.quote(dialect.catalog()) + ".system.fast_forward(table => "
                + dialect.literal(dialect.quote(schema) + "." + dialect.quote(name)) + ", branch => 'main', to => "
                + dialect.literal(BRANCH) + ")");
    }

    @Override
    public void drop(Session session, String schema, String name) {
        if (catalog.relationKind(session, schema, name) != RelationKind.TABLE) {
            return;
        }
        Map<String, Long> refs = refs(session, schema, name);
        if (refs.containsKey(BRANCH)) {
            session.execute(OWNER, "ALTER TABLE " + dialect.relation(schema, name) + " DROP BRANCH IF EXISTS " + dialect.quote(BRANCH));
        }
        if (!refs.containsKey("main")) {
            session.execute(OWNER, "DROP TABLE IF EXISTS " + dialect.relation(schema, name));
        }
    }

    /** The audit branch of {@code schema.name} as SQL names it. */
    String branchRelation(String schema, String name) {
        return dialect.relation(schema, name) + "." + dialect.quote("branch_" + BRANCH);
    }

    /** The branches and tags of {@code schema.name} with their snapshots; empty when it does not exist. */
    private Map<String, Long> refs(Session session, String schema, String name) {
        if (catalog.relationKind(session, schema, name) != RelationKind.TABLE) {
            return Map.of();
        }
        Map<String, Long> refs = new HashMap<>();
        session.queryList(OWNER, "SELECT name, snapshot_id FROM " + metadata(schema, name, "refs"), rs -> {
            refs.put(rs.getString(1), rs.getLong(2));
            return null;
        });
        return refs;
    }

    private String metadata(String schema, String name, String table) {
        return dialect.relation(schema, name) + "." + dialect.quote(table);
    }

    private static List<Column> queryColumns(Session session, SqlOwner owner, String query) {
        return session.queryList(owner, "DESCRIBE QUERY SELECT * FROM (\n" + query + "\n) AS soma_audit_rows",
                rs -> new Column(rs.getString(1), rs.getString(2)));
    }

    private static boolean same(List<Column> a, List<Column> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).name().equalsIgnoreCase(b.get(i).name())
                    || !a.get(i).type().toLowerCase(Locale.ROOT).equals(b.get(i).type().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(List<Column> columns) {
        StringJoiner text = new StringJoiner(", ");
        columns.forEach(c -> text.add(c.name() + " " + c.type()));
        return text.toString();
    }
}
