package dev.soma.models.internal.snapshot;

import dev.soma.core.engine.Column;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.materialize.Outcome;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.project.SnapshotNode;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one snapshot as one transaction: the first run creates the table with every source row current;
 * a later run closes the versions that changed (or, per {@code hard_deletes}, whose key left the source)
 * and inserts the new ones, in one {@code MERGE}. A failed or killed run leaves the snapshot as it was
 * (on an engine without transactions the MERGE is the one commit; a column the source gained is added
 * before it, as dbt does); a run with no change writes nothing. Stateless; callers pass their own session.
 */
public final class SnapshotBuild {

    private SnapshotBuild() {
    }

    /**
     * @param sourceSql the query of the relation the snapshot reads ({@code select * from …})
     * @param existing  what the snapshot's relation is now, or {@code null}
     * @param now       the snapshot time: {@code dbt_valid_from} of the check strategy, {@code dbt_valid_to} of hard deletes
     * @throws ModelExecutionException when the engine rejects a statement; the snapshot is unchanged
     */
    public static Outcome run(SnapshotNode snapshot, String sourceSql, RelationType existing, Session session, Instant now) {
        SqlOwner owner = new SqlOwner("snapshot", snapshot.name());
        try {
            // The source's columns, as the engine plans its query (nothing runs).
            Map<String, String> sourceColumns = new LinkedHashMap<>();
            session.engine().describeQuery(session, owner, sourceSql).forEach(c -> sourceColumns.put(c.name(), c.type()));
            SnapshotSql sql = new SnapshotSql(snapshot, sourceSql, List.copyOf(sourceColumns.keySet()), now, session.engine());
            return session.inTransaction(owner, tx -> {
                if (existing != RelationType.TABLE) {
                    if (existing == RelationType.VIEW) {
                        tx.execute(owner, sql.dropView());
                    }
                    tx.execute(owner, sql.create());
                    return new Outcome(tx.queryLong(owner, sql.countRows()), "CREATE SNAPSHOT");
                }
                return update(tx, owner, snapshot, sql, sourceColumns);
            });
        } catch (SqlExecutionException e) {
            SQLException cause = e.getCause() instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            throw new ModelExecutionException(owner, SourceLocation.of(snapshot.path(), snapshot.line()), null, e.sql(), cause, e.engine());
        }
    }

    private static Outcome update(Session tx, SqlOwner owner, SnapshotNode snapshot, SnapshotSql sql,
                                  Map<String, String> sourceColumns) {
        List<String> existing = columns(tx, snapshot).stream().map(Column::name).toList();
        List<String> existingLower = existing.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        List<String> shared = new ArrayList<>();
        boolean added = false;
        for (Map.Entry<String, String> column : sourceColumns.entrySet()) {
            if (existingLower.contains(column.getKey().toLowerCase(Locale.ROOT))) {
                shared.add(column.getKey());
            } else {
                tx.execute(owner, sql.addColumn(column.getKey(), column.getValue()));
                added = true;
            }
        }
        List<Column> targetColumns = columns(tx, snapshot);
        List<String> checkCols = snapshot.checkCols().isEmpty() ? shared : snapshot.checkCols();
        boolean allChanged = added && snapshot.checkCols().isEmpty();
        // Stages of an earlier run that failed half way (this session's own) go first.
        sql.dropCollected().forEach(statement -> tx.execute(owner, statement));
        tx.execute(owner, sql.collectCloses(checkCols, allChanged));
        tx.execute(owner, sql.collectInserts(targetColumns, checkCols, allChanged));
        long closed = tx.queryLong(owner, sql.countCloses());
        long inserted = tx.queryLong(owner, sql.countInserts());
        if (closed > 0 || inserted > 0) {
            List<String> insertColumns = new ArrayList<>();
            targetColumns.stream().map(Column::name)
                    .filter(c -> !SnapshotSql.META_COLUMNS.contains(c.toLowerCase(Locale.ROOT))).forEach(insertColumns::add);
            insertColumns.addAll(sql.metaColumnNames());
            tx.execute(owner, sql.apply(insertColumns));
        }
        sql.dropCollected().forEach(statement -> tx.execute(owner, statement));
        return new Outcome(inserted, "SNAPSHOT, " + closed + (closed == 1 ? " version" : " versions") + " closed");
    }

    private static List<Column> columns(Session tx, SnapshotNode snapshot) {
        return tx.engine().columns(tx, snapshot.relation().schema(), snapshot.relation().identifier());
    }
}
