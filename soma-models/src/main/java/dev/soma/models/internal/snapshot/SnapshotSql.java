package dev.soma.models.internal.snapshot;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.SnapshotNode.HardDeletes;
import dev.soma.models.internal.project.SnapshotNode.SnapshotStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL of one snapshot run, DuckDB's dialect, with dbt's meta columns and semantics:
 * <ul>
 *   <li>{@code dbt_scd_id}: md5 of the unique key values and the version's updated_at, each cast to
 *       varchar, NULL as empty, joined by {@code |};</li>
 *   <li>{@code dbt_updated_at} and {@code dbt_valid_from}: the row's {@code updated_at} (timestamp
 *       strategy), or the snapshot time (check strategy without updated_at);</li>
 *   <li>{@code dbt_valid_to}: NULL, or {@code dbt_valid_to_current}, while the version is current; the
 *       next version's updated_at (or the snapshot time for a hard delete) once closed;</li>
 *   <li>{@code dbt_is_deleted} ({@code hard_deletes: new_record} only): {@code 'True'} on the row that
 *       records a deletion, else {@code 'False'}.</li>
 * </ul>
 * A row changed when its updated_at is later than the current version's {@code dbt_valid_from}
 * (timestamp), or when a checked column differs, NULLs compared as values (check). A later run first
 * collects the versions to close and the rows to insert in two temporary tables, reading the snapshot
 * as it was, then applies both.
 */
final class SnapshotSql {

    static final String SCD_ID = "dbt_scd_id";
    static final String UPDATED_AT = "dbt_updated_at";
    static final String VALID_FROM = "dbt_valid_from";
    static final String VALID_TO = "dbt_valid_to";
    static final String IS_DELETED = "dbt_is_deleted";
    static final List<String> META_COLUMNS = List.of(SCD_ID, UPDATED_AT, VALID_FROM, VALID_TO, IS_DELETED);

    private static final String CLOSES = "soma_snapshot_closes";
    private static final String INSERTS = "soma_snapshot_inserts";
    private static final String ROW_UPDATED_AT = "soma_updated_at";

    private final SnapshotNode snapshot;
    private final String sourceSql;
    private final String now;
    private final Relation target;

    /**
     * @param sourceSql the query of the relation it reads
     * @param now       the snapshot time of this run, fixed for the run
     */
    SnapshotSql(SnapshotNode snapshot, String sourceSql, java.time.Instant now) {
        this.snapshot = snapshot;
        this.sourceSql = sourceSql;
        this.now = "TIMESTAMP '" + java.time.LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC)
                .toString().replace('T', ' ') + "'";
        this.target = snapshot.relation();
    }

    /** Column names and types of the source query, without running it. */
    String describeSource() {
        return "DESCRIBE " + sourceSql;
    }

    /** The first run: every source row, current. */
    String create() {
        return "CREATE TABLE " + target.quoted() + " AS\nSELECT " + newVersionColumns() + "\nFROM (" + keyedSource()
                + ") AS s";
    }

    String dropView() {
        return "DROP VIEW " + target.quoted();
    }

    /** A column the source gained since the last run (dbt adds it too). */
    String addColumn(String column, String type) {
        return "ALTER TABLE " + target.quoted() + " ADD COLUMN " + Identifiers.quote(column) + " " + type;
    }

    /**
     * The versions to close: current rows whose source row changed, and, unless hard deletes are ignored,
     * current rows whose key left the source (not a row already recording a deletion).
     *
     * @param checkCols the columns compared by the check strategy
     * @param columnAdded the source gained a column: with {@code check_cols: all} every row changed
     */
    String collectCloses(List<String> checkCols, boolean columnAdded) {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TEMP TABLE " + CLOSES + " AS\n")
                .append("SELECT c.").append(SCD_ID).append(", s.").append(ROW_UPDATED_AT).append(" AS ").append(VALID_TO)
                .append("\nFROM (").append(keyedSource()).append(") AS s\nJOIN (").append(currentRows())
                .append(") AS c ON ").append(keyJoin()).append("\nWHERE ").append(changed(checkCols, columnAdded));
        if (snapshot.hardDeletes() != HardDeletes.IGNORE) {
            sql.append("\nUNION ALL\nSELECT c.").append(SCD_ID).append(", ").append(now).append(" AS ").append(VALID_TO)
                    .append("\nFROM (").append(currentRows()).append(") AS c\nLEFT JOIN (").append(keyedSource())
                    .append(") AS s ON ").append(keyJoin()).append("\nWHERE s.dbt_unique_key_1 IS NULL")
                    .append(notAlreadyDeleted());
        }
        return sql.toString();
    }

    /**
     * The rows to insert: source rows with a new key or a change, and with {@code hard_deletes:
     * new_record} a row recording each deletion.
     */
    List<String> collectInserts(List<String> checkCols, boolean columnAdded) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE OR REPLACE TEMP TABLE " + INSERTS + " AS\nSELECT " + newVersionColumns() + "\nFROM ("
                + keyedSource() + ") AS s\nLEFT JOIN (" + currentRows() + ") AS c ON " + keyJoin()
                + "\nWHERE c.dbt_unique_key_1 IS NULL OR " + changed(checkCols, columnAdded));
        if (snapshot.hardDeletes() == HardDeletes.NEW_RECORD) {
            StringJoiner excluded = new StringJoiner(", ");
            keyColumns().forEach(excluded::add);
            META_COLUMNS.forEach(excluded::add);
            statements.add("INSERT INTO " + INSERTS + " BY NAME\nSELECT c.* EXCLUDE (" + excluded + "), md5(coalesce(cast(c."
                    + SCD_ID + " AS VARCHAR), '') || '|' || coalesce(cast(" + now + " AS VARCHAR), '')) AS " + SCD_ID
                    + ", " + now + " AS " + UPDATED_AT + ", " + now + " AS " + VALID_FROM + ", c." + VALID_TO + " AS "
                    + VALID_TO + ", 'True' AS " + IS_DELETED + "\nFROM (" + currentRows() + ") AS c\nLEFT JOIN ("
                    + keyedSource() + ") AS s ON " + keyJoin() + "\nWHERE s.dbt_unique_key_1 IS NULL" + notAlreadyDeleted());
        }
        return statements;
    }

    /** Closes the collected versions (only current ones: a closed version never changes again). */
    String applyCloses() {
        return "UPDATE " + target.quoted() + " AS t SET " + VALID_TO + " = x." + VALID_TO + " FROM " + CLOSES
                + " AS x WHERE t." + SCD_ID + " = x." + SCD_ID + " AND " + current("t");
    }

    String applyInserts() {
        return "INSERT INTO " + target.quoted() + " BY NAME SELECT * FROM " + INSERTS;
    }

    String countRows() {
        return "SELECT count(*) FROM " + target.quoted();
    }

    String countCloses() {
        return "SELECT count(*) FROM " + CLOSES;
    }

    String countInserts() {
        return "SELECT count(*) FROM " + INSERTS;
    }

    List<String> dropCollected() {
        return List.of("DROP TABLE IF EXISTS " + CLOSES, "DROP TABLE IF EXISTS " + INSERTS);
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
        return "SELECT *, " + keyExpressions() + " FROM " + target.quoted() + " WHERE " + current(null);
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
        StringJoiner excluded = new StringJoiner(", ");
        keyColumns().forEach(excluded::add);
        excluded.add(ROW_UPDATED_AT);
        StringJoiner hashed = new StringJoiner(" || '|' || ");
        keyColumns().forEach(key -> hashed.add("coalesce(cast(s." + key + " AS VARCHAR), '')"));
        hashed.add("coalesce(cast(s." + ROW_UPDATED_AT + " AS VARCHAR), '')");
        String nullOfType = "nullif(s." + ROW_UPDATED_AT + ", s." + ROW_UPDATED_AT + ")";
        String validTo = snapshot.validToCurrent() == null ? nullOfType
                : "coalesce(" + nullOfType + ", " + snapshot.validToCurrent() + ")";
        return "s.* EXCLUDE (" + excluded + "), md5(" + hashed + ") AS " + SCD_ID + ", s." + ROW_UPDATED_AT + " AS "
                + UPDATED_AT + ", s." + ROW_UPDATED_AT + " AS " + VALID_FROM + ", " + validTo + " AS " + VALID_TO
                + (snapshot.hardDeletes() == HardDeletes.NEW_RECORD ? ", 'False' AS " + IS_DELETED : "");
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
        checkCols.forEach(col -> any.add("c." + Identifiers.quote(col) + " IS DISTINCT FROM s." + Identifiers.quote(col)));
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
