package dev.soma.models.internal.publish;

import dev.soma.core.engine.Dialect;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.Relation;
import dev.soma.models.api.ShadowRelation;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * {@code soma_meta.publishes} (one row per write-audit-publish build: run id, state, audit result, the
 * failing tests, audited / published / discarded at) and {@code soma_meta.publish_relations} (its
 * relations: live and shadow names, kind, the live view SQL to recreate on publish, the live relation's
 * fingerprint at audit time). Owned by soma-models; every state move names the states it expects, so a
 * lost race updates zero rows.
 */
public final class PublishLedger {

    private static final String SCHEMA = "soma_meta";
    private static final SqlOwner OWNER = SqlOwner.soma("publish ledger");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Session session;
    private final String publishes;
    private final String relations;

    public PublishLedger(Session session) {
        this.session = session;
        this.publishes = session.engine().dialect().relation(SCHEMA, "publishes");
        this.relations = session.engine().dialect().relation(SCHEMA, "publish_relations");
    }

    /**
     * One shadow relation as recorded: the public description plus what publishing needs.
     *
     * @param viewSql     a view's query on the live names, recreated on publish; else {@code null}
     * @param fingerprint the live relation at audit time ({@link Publisher#fingerprint}); {@code null} when
     *                    the build published at once
     * @param applySql    an increment's statements that apply it to the live table, in order; else empty
     */
    public record Entry(ShadowRelation relation, String viewSql, String fingerprint, List<String> applySql) {

        public Entry {
            applySql = List.copyOf(applySql);
        }

        public Entry withFingerprint(String fingerprint) {
            return new Entry(relation, viewSql, fingerprint, applySql);
        }
    }

    /** One row of {@code soma_meta.publishes}. */
    public record Row(String runId, PublishState state, String auditResult, List<String> failedTests, Instant auditedAt,
                      Instant publishedAt, Instant discardedAt) {
    }

    /** Creates both tables if they are not there, in the engine's types (and constraints, where it has them). */
    public void create() {
        Dialect d = session.engine().dialect();
        if (session.relationExists(SCHEMA, "publishes") && session.relationExists(SCHEMA, "publish_relations")) {
            // A ledger written before increments were kept beside their live tables lacks their column.
            if (session.engine().columns(session, SCHEMA, "publish_relations").stream()
                    .noneMatch(c -> c.name().equals("apply_sql"))) {
                session.execute(OWNER, "ALTER TABLE " + relations + " ADD COLUMN apply_sql " + d.typeStringList());
            }
            return;
        }
        String text = d.typeString();
        String required = session.engine().supportsConstraints() ? " NOT NULL" : "";
        session.createSchema(SCHEMA);
        session.execute(OWNER, "CREATE TABLE IF NOT EXISTS " + publishes + " (run_id " + text + required
                + ", state " + text + required + ", audit_result " + text + required + ", failed_tests " + text
                + ", audited_at TIMESTAMP" + required + ", published_at TIMESTAMP, discarded_at TIMESTAMP)");
        session.execute(OWNER, "CREATE TABLE IF NOT EXISTS " + relations + " (run_id " + text
                + required + ", position INTEGER" + required + ", model " + text + required + ", live_schema " + text + required
                + ", live_name " + text + required + ", shadow_name " + text + required + ", kind " + text + required
                + ", view_sql " + text + ", live_fingerprint " + text + ", apply_sql " + d.typeStringList() + ")");
    }

    /**
     * Records a shadow build about to make its relations, before it makes any: whatever it leaves, killed
     * at any point, is known to be Soma's and dropped by the next shadow build.
     */
    public void recordBuilding(String runId, Instant startedAt, List<Entry> planned) {
        session.execute(OWNER, "INSERT INTO " + publishes + " VALUES (" + lit(runId) + ", " + lit(PublishState.BUILDING.label())
                + ", 'pending', NULL, " + time(startedAt) + ", NULL, NULL)");
        insertRelations(runId, planned);
    }

    /** Records an audit's outcome and its relations, in place of what {@link #recordBuilding} recorded. */
    public void recordAudit(String runId, PublishState state, List<String> failedTests, Instant auditedAt, List<Entry> entries) {
        session.execute(OWNER, "DELETE FROM " + relations + " WHERE run_id = " + lit(runId));
        session.execute(OWNER, "DELETE FROM " + publishes + " WHERE run_id = " + lit(runId));
        session.execute(OWNER, "INSERT INTO " + publishes + " VALUES (" + lit(runId) + ", " + lit(state.label()) + ", "
                + lit(state == PublishState.FAILED ? "fail" : "pass") + ", " + lit(failedTests.isEmpty() ? null : String.join("\n", failedTests))
                + ", " + time(auditedAt) + ", NULL, NULL)");
        insertRelations(runId, entries);
    }

    private void insertRelations(String runId, List<Entry> entries) {
        for (int from = 0; from < entries.size(); from += 500) {
            StringJoiner values = new StringJoiner(",\n");
            for (int i = from; i < Math.min(entries.size(), from + 500); i++) {
                Entry e = entries.get(i);
                ShadowRelation r = e.relation();
                values.add("(" + lit(runId) + ", " + i + ", " + lit(r.model()) + ", " + lit(r.live().schema()) + ", "
                        + lit(r.live().identifier()) + ", " + lit(r.shadow().identifier()) + ", " + lit(r.kind()) + ", "
                        + lit(e.viewSql()) + ", " + lit(e.fingerprint()) + ", " + list(e.applySql()) + ")");
            }
            session.execute(OWNER, "INSERT INTO " + relations + " (run_id, position, model, live_schema, live_name, "
                    + "shadow_name, kind, view_sql, live_fingerprint, apply_sql) VALUES\n" + values);
        }
    }

    /**
     * Moves {@code runId} from one of {@code from} to {@code to}, stamping {@code at}.
     *
     * @return false when it was not in one of those states (another process got there first)
     */
    public boolean move(String runId, List<PublishState> from, PublishState to, Instant at) {
        String column = to == PublishState.PUBLISHED ? "published_at" : to == PublishState.DISCARDED ? "discarded_at" : null;
        StringJoiner states = new StringJoiner(", ", "(", ")");
        from.forEach(state -> states.add(lit(state.label())));
        String where = " WHERE run_id = " + lit(runId) + " AND state IN " + states;
        boolean transactions = session.engine().supportsTransactions();
        if (!transactions && session.queryLong(OWNER, "SELECT count(*) FROM " + publishes + where) != 1) {
            return false;
        }
        long updated = session.execute(OWNER, "UPDATE " + publishes + " SET state = " + lit(to.label())
                + (column == null ? "" : ", " + column + " = " + time(at)) + where);
        // An engine without transactions may not count an UPDATE's rows (Iceberg): it was checked above.
        return updated == 1 || (!transactions && updated < 0);
    }

    /** The shadows whose relations may still exist (building, audited or failed), newest first. */
    public List<Row> open() {
        if (!session.relationExists(SCHEMA, "publishes")) {
            return List.of();
        }
        return rows(" WHERE state IN (" + lit(PublishState.BUILDING.label()) + ", " + lit(PublishState.AUDITED.label()) + ", "
                + lit(PublishState.FAILED.label()) + ")");
    }

    /** Every recorded publish build, newest first. */
    public List<Row> all() {
        if (!session.relationExists(SCHEMA, "publishes")) {
            return List.of();
        }
        return rows("");
    }

    /** The newest shadow still open, if any. */
    public Optional<Row> latestOpen() {
        return open().stream().findFirst();
    }

    /** The relations of {@code runId}, in build order. */
    public List<Entry> entries(String runId) {
        return session.queryList(OWNER, "SELECT model, live_schema, live_name, shadow_name, kind, view_sql, live_fingerprint, "
                + "apply_sql FROM " + relations + " WHERE run_id = " + lit(runId) + " ORDER BY position",
                rs -> new Entry(new ShadowRelation(rs.getString(1), new Relation(rs.getString(2), rs.getString(3)),
                        new Relation(rs.getString(2), rs.getString(4)), rs.getString(5)),
                        rs.getString(6), rs.getString(7), strings(rs.getArray(8))));
    }

    private List<Row> rows(String where) {
        return session.queryList(OWNER, "SELECT run_id, state, audit_result, failed_tests, audited_at, published_at, discarded_at FROM "
                + publishes + where + " ORDER BY audited_at DESC, run_id", rs -> new Row(rs.getString(1),
                PublishState.ofLabel(rs.getString(2)), rs.getString(3),
                rs.getString(4) == null ? List.of() : Arrays.asList(rs.getString(4).split("\n")),
                instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))));
    }

    private String list(List<String> values) {
        return session.engine().dialect().stringList(values.stream().map(this::lit).toList());
    }

    private static List<String> strings(java.sql.Array array) throws java.sql.SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(String::valueOf).toList();
    }

    private String lit(String value) {
        return value == null ? "NULL" : session.engine().dialect().literal(value);
    }

    private static String time(Instant at) {
        return "TIMESTAMP '" + TIMESTAMP.format(at) + "'";
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
