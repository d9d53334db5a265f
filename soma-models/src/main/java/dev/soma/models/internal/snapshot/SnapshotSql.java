package dev.soma.models.internal.snapshot;

import dev.soma.core.engine.Column;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.SnapshotNode.HardDeletes;
import dev.soma.models.internal.project.SnapshotNode.SnapshotStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The SQL of one snapshot run, in the session's engine's spelling (names, string type, stages), with
 * dbt's meta columns and semantics:
 * <ul>
 *   <li>{@code dbt_scd_id}: md5 of the unique key values and the version's updated_at, each cast to
 *       a string, NULL as empty, joined by {@code |};</li>
 *   <li>{@code dbt_updated_at} and {@code dbt_valid_from}: the row's {@code updated_at} (timestamp
 *       strategy), or the snapshot time (check strategy without updated_at);</li>
 *   <li>{@code dbt_valid_to}: NULL, or {@code dbt_valid_to_current}, while the version is current; the
 *       next version's updated_at (or the snapshot time for a hard delete) once closed;</li>
 *   <li>{@code dbt_is_deleted} ({@code hard_deletes: new_record} only): {@code 'True'} on the row that
 *       records a deletion, else {@code 'False'}.</li>
 * </ul>
 * A row changed when its updated_at is later than the current version's {@code dbt_valid_from}
 * (timestamp), or when a checked column differs, NULLs compared as values (check). A later run first
 * collects the versions to close and the rows to insert in two stages, reading the snapshot as it was,
 * then applies both in one {@code MERGE} (dbt's snapshot merge: closes match their version, inserts
 * match nothing), which is one commit on an engine without transactions. Every column list is written
 * out (no {@code SELECT * EXCLUDE}), from the source's columns as the engine describes them.
 */
final class SnapshotSql {

    static final String SCD_ID = "dbt_scd_id";
    static final String UPDATED_AT = "dbt_updated_at";
    static final String VALID_FROM = "dbt_valid_from";
    static final String VALID_TO = "dbt_valid_to";
    static final String IS_DELETED = "dbt_is_deleted";
    static final List<String> META_COLUMNS = List.of(SCD_ID, UPDATED_AT, VALID_FROM, VALID_TO, IS_DELETED);

    static final String CLOSES = "soma_snapshot_closes";
    static final String INSERTS = "soma_snapshot_inserts";
    private static final String ROW_UPDATED_AT = "soma_updated_at";
    private static final String MERGE_KEY = "soma_merge_key";

    private final SnapshotNode snapshot;
    private final String sourceSql;
    private final String now;
    private final Engine engine;
    private final Dialect d;
    private final String target;
    private final List<String> sourceColumns;

    /**
     * @param sourceSql     the query of the relation it reads
     * @param sourceColumns the columns of that query, in order
     * @param now           the snapshot time of this run, fixed for the run
     */
    SnapshotSql(SnapshotNode snapshot, String sourceSql, List<String> sourceColumns, java.time.Instant now, Engine engine) {
        this.snapshot = snapshot;
        this.sourceSql = sourceSql;
        this.sourceColumns = List.copyOf(sourceColumns);
        this.now = "TIMESTAMP '" + java.time.LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC)
                .toString().replace('T', ' ') + "'";
        this.engine = engine;
        this.d = engine.dialect();
        this.target = snapshot.relation().quoted(d);
    }

    /** The first run: every source row, current. */
    String create() {
        return engine.createOrReplaceTable(target, "SELECT " + newVersionColumns() + "\nFROM (" + keyedSource() + ") AS s");
    }

    String dropView() {
        return "DROP VIEW " + target;
    }

    /** A column the source gained since the last run (dbt adds it too). */
    String addColumn(String column, String type) {
        return "ALTER TABLE " + target + " ADD COLUMN " + d.quote(column) + " " + type;
    }

    /**
     * The versions to close: current rows whose source row changed, and, unless hard deletes are ignored,
     * current rows whose key left the source (not a row already recording a deletion).
     *
     * @param checkCols the columns compared by the check strategy
     * @param columnAdded the source gained a column: with {@code check_cols: all} every row changed
     */
    String collectCloses(List<String> checkCols, boolean columnAdded) {
        StringBuilder sql = new StringBuilder()
                .append("SELECT c.").append(SCD_ID).append(", s.").append(ROW_UPDATED_AT).append(" AS ").append(VALID_TO)
                .append("\nFROM (").append(keyedSource()).append(") AS s\nJOIN (").append(currentRows())
                .append(") AS c ON ").append(keyJoin()).append("\nWHERE ").append(changed(checkCols, columnAdded));
        if (snapshot.hardDeletes() != HardDeletes.IGNORE) {
            sql.append("\nUNION ALL\nSELECT c.").append(SCD_ID).append(", ").append(now).append(" AS ").append(VALID_TO)
                    .append("\nFROM (").append(currentRows()).append(") AS c\nLEFT JOIN (").append(keyedSource())
                    .append(") AS s ON ").append(keyJoin()).append("\nWHERE s.dbt_unique_key_1 IS NULL")
                    .append(notAlreadyDeleted());
        }
        return engine.createStage(CLOSES, sql.toString());
    }

    /**
     * The rows to insert, in the snapshot's columns ({@code targetColumns}, the meta columns among them):
     * source rows with a new key or a change, and with {@code hard_deletes: new_record} a row recording
     * each deletion. A column the source no longer has is NULL in a new version, of its type.
     */
    String collectInserts(List<Column> targetColumns, List<String> checkCols, boolean columnAdded) {
        StringJoiner versions = new StringJoiner(", ");
        StringJoiner deletions = new StringJoiner(", ");
        for (Column column : targetColumns) {
            String name = column.name().toLowerCase(Locale.ROOT);
            String quoted = d.quote(column.name());
            if (META_COLUMNS.contains(name)) {
                continue;
            }
            boolean inSource = sourceColumns.stream().anyMatch(c -> c.equalsIgnoreCase(column.name()));
            versions.add((inSource ? "s." + quoted : "CAST(NULL AS " + column.type() + ")") + " AS " + quoted);
            deletions.add("c." + quoted + " AS " + quoted);
        }
        String sql = "SELECT " + versions + ", " + metaColumns() + "\nFROM (" + keyedSource() + ") AS s\nLEFT JOIN ("
                + currentRows() + ") AS c ON " + keyJoin() + "\nWHERE c.dbt_unique_key_1 IS NULL OR "
                + changed(checkCols, columnAdded);
        if (snapshot.hardDeletes() == HardDeletes.NEW_RECORD) {
            sql += "\nUNION ALL\nSELECT " + deletions + ", md5(coalesce(cast(c." + SCD_ID + " AS " + d.typeString() + "), '') || '|' || "
                    + "coalesce(cast(" + now + " AS " + d.typeString() + "), '')) AS " + SCD_ID
                    + ", " + now + " AS " + UPDATED_AT + ", " + now + " AS " + VALID_FROM + ", c." + VALID_TO + " AS "
                    + VALID_TO + ", 'True' AS " + IS_DELETED + "\nFROM (" + currentRows() + ") AS c\nLEFT JOIN ("
                    + keyedSource() + ") AS s ON " + keyJoin() + "\nWHERE s.dbt_unique_key_1 IS NULL" + notAlreadyDeleted();
        }
        return engine.createStage(INSERTS, sql);
    }

    /**
     * Closes the collected versions (only current ones: a closed version never changes again) and inserts
     * the new rows, in one statement: each close matches its version by {@code dbt_scd_id}; an insert has no
     * merge key, matches nothing and is inserted.
     *
     * @param insertColumns the stage's columns ({@link #collectInserts}'s), in order
     */
    String apply(List<String> insertColumns) {
        StringJoiner nulls = new StringJoiner(", ");
        StringJoiner names = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        for (String column : insertColumns) {
            String quoted = d.quote(column);
            nulls.add("NULL AS " + quoted);
            names.add(quoted);
            values.add("soma_source." + quoted);
        }
        return "MERGE INTO " + target + " AS soma_target\nUSING (\n  SELECT x." + SCD_ID + " AS " + MERGE_KEY + ", x."
                + VALID_TO + " AS soma_close_to, " + nulls + " FROM " + CLOSES + " AS x\n  UNION ALL\n  SELECT NULL AS "
                + MERGE_KEY + ", NULL AS soma_close_to, " + names + " FROM " + INSERTS + "\n) AS soma_source\nON soma_target."
                + SCD_ID + " = soma_source." + MERGE_KEY + " AND " + current("soma_target")
                + "\nWHEN MATCHED THEN UPDATE SET " + VALID_TO + " = soma_source.soma_close_to"
                + "\nWHEN NOT MATCHED AND soma_source." + MERGE_KEY + " IS NULL THEN INSERT (" + names + ") VALUES (" + values + ")";
    }

    String countRows() {
        return "SELECT count(*) FROM " + target;
    }

    String countCloses() {
        return "SELECT count(*) FROM " + CLOSES;
    }

    String countInserts() {
        return "SELECT count(*) FROM " + INSERTS;
    }

    List<String> dropCollected() {
        return List.of(engine.dropTable(CLOSES), engine.dropTable(INSERTS));
    }

    /** The source with its key values ({@code dbt_unique_key_N}) and its updated_at. */
    private String keyedSource() {
        String updatedAt = snapshot.strategy() == SnapshotStrategy.TIMESTAMP || snapshot.updatedAt() != null
                ? "(" + snapshot.updatedAt() + ")" : now;
        return "SELECT *, " + keyExpressions() + ", " + updatedAt + " AS " + ROW_UPDATED_AT + " FROM (\n" + sourceSql
                + "\n) AS soma_snapshot_query";
    }

    /** The snapshot's current versions with their key values. */
    private String currentRows() {
        return "SELECT *, " + keyExpressions() + " FROM " + target + " WHERE " + current(null);
    }

    private String current(String alias) {
        String validTo = alias == null ? VALID_TO : alias + "." + VALID_TO;
        if (snapshot.validToCurrent() == null) {
            return validTo + " IS NULL";
        }
        return "(" + validTo + " = (" + snapshot.validToCurrent() + ") OR " + validTo + " IS NULL)";
    }

    /** A source row as a new current version, from {@code s}, the keyed source. */
    private String newVersionColumns() {
        StringJoiner columns = new StringJoiner(", ");
        sourceColumns.forEach(column -> columns.add("s." + d.quote(column)));
        return columns + ", " + metaColumns();
    }

    private String metaColumns() {
        StringJoiner hashed = new StringJoiner(" || '|' || ");
        keyColumns().forEach(key -> hashed.add("coalesce(cast(s." + key + " AS " + d.typeString() + "), '')"));
        hashed.add("coalesce(cast(s." + ROW_UPDATED_AT + " AS " + d.typeString() + "), '')");
        String nullOfType = "nullif(s." + ROW_UPDATED_AT + ", s." + ROW_UPDATED_AT + ")";
        String validTo = snapshot.validToCurrent() == null ? nullOfType
                : "coalesce(" + nullOfType + ", " + snapshot.validToCurrent() + ")";
        return "md5(" + hashed + ") AS " + SCD_ID + ", s." + ROW_UPDATED_AT + " AS " + UPDATED_AT + ", s." + ROW_UPDATED_AT
                + " AS " + VALID_FROM + ", " + validTo + " AS " + VALID_TO
                + (snapshot.hardDeletes() == HardDeletes.NEW_RECORD ? ", 'False' AS " + IS_DELETED : "");
    }

    /** The meta columns a version has, in order. */
    List<String> metaColumnNames() {
        List<String> names = new ArrayList<>(List.of(SCD_ID, UPDATED_AT, VALID_FROM, VALID_TO));
        if (snapshot.hardDeletes() == HardDeletes.NEW_RECORD) {
            names.add(IS_DELETED);
        }
        return names;
    }

    private String changed(List<String> checkCols, boolean columnAdded) {
        String deletedBack = snapshot.hardDeletes() == HardDeletes.NEW_RECORD
                ? " OR c." + IS_DELETED + " IS NOT DISTINCT FROM 'True'" : "";
        if (snapshot.strategy() == SnapshotStrategy.TIMESTAMP) {
            return "(c." + VALID_FROM + " < s." + ROW_UPDATED_AT + deletedBack + ")";
        }
        if (columnAdded || checkCols.isEmpty()) {
            return "(TRUE)";
        }
        StringJoiner any = new StringJoiner(" OR ", "(", deletedBack + ")");
        checkCols.forEach(col -> any.add("c." + d.quote(col) + " IS DISTINCT FROM s." + d.quote(col)));
        return any.toString();
    }

    private String notAlreadyDeleted() {
        return snapshot.hardDeletes() == HardDeletes.NEW_RECORD
                ? " AND c." + IS_DELETED + " IS DISTINCT FROM 'True'" : "";
    }

    private String keyJoin() {
        StringJoiner join = new StringJoiner(" AND ");
        keyColumns().forEach(key -> join.add("c." + key + " = s." + key));
        return join.toString();
    }

    private String keyExpressions() {
        StringJoiner keys = new StringJoiner(", ");
        List<String> uniqueKey = snapshot.uniqueKey();
        for (int i = 0; i < uniqueKey.size(); i++) {
            keys.add("(" + uniqueKey.get(i) + ") AS dbt_unique_key_" + (i + 1));
        }
        return keys.toString();
    }

    private List<String> keyColumns() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= snapshot.uniqueKey().size(); i++) {
            names.add("dbt_unique_key_" + i);
        }
        return names;
    }
}
