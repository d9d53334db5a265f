package dev.soma.models.internal.materialize;

import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.runstore.RunStore;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.project.IncrementalStrategy;

import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL of an incremental strategy, in one place: the statements that add a batch table to a model's
 * table (a build, and a publish that applies an audited increment to the live table), and the query that
 * reads as the table would after them without writing anything (the shadow of an incremental model in a
 * write-audit-publish build). The engine spells each statement ({@link Engine#insertByName},
 * {@link Engine#merge}, {@link Engine#deleteInsert}); this class chooses which. Stateless.
 */
public final class IncrementStatements {

    private IncrementStatements() {
    }

    /**
     * Where a write-audit-publish build keeps the increment of {@code live} until it is published:
     * {@code soma_meta."shadow_delta__<schema>__<table>"}, never beside the user's tables.
     */
    public static Relation deltaFor(Relation live) {
        return new Relation(RunStore.SCHEMA, "shadow_delta__" + live.schema() + "__" + live.identifier());
    }

    /**
     * The statements adding {@code batch} to {@code target}, in order; the last one's count is the rows written
     * (not for insert_overwrite, whose statement may count the rows it deleted too: the batch's size is).
     *
     * @param keys the columns the strategy matches by: the unique key, or for insert_overwrite the partition columns
     */
    public static List<String> apply(Engine engine, IncrementalStrategy strategy, List<String> keys, Relation target,
                                     Relation batch) {
        Dialect dialect = engine.dialect();
        return switch (strategy) {
            case APPEND -> List.of(engine.insertByName(target.quoted(dialect), batch.quoted(dialect)));
            case MERGE -> List.of(engine.merge(keys, target.quoted(dialect), batch.quoted(dialect)));
            case DELETE_INSERT -> engine.deleteInsert(keys, target.quoted(dialect), batch.quoted(dialect));
            case INSERT_OVERWRITE -> engine.insertOverwrite(keys, target.quoted(dialect), batch.quoted(dialect));
        };
    }

    /** How a build by {@code strategy} is summed up in its result: {@code MERGE}, {@code INSERT (append)}, … */
    public static String message(IncrementalStrategy strategy) {
        return switch (strategy) {
            case APPEND -> "INSERT (append)";
            case MERGE -> "MERGE";
            case DELETE_INSERT -> "DELETE+INSERT";
            case INSERT_OVERWRITE -> "INSERT OVERWRITE";
        };
    }

    /**
     * A query whose rows are exactly those of {@code target} after {@link #apply}, as a multiset, given that
     * {@code batch} has {@code target}'s column names and types and, for a merge, no key repeated in it:
     * <ul>
     *   <li>append: every target row and every batch row;</li>
     *   <li>merge: the target rows no batch row matches, and each batch row once per target row it matches
     *       (a merge updates each of them to the batch row) or once if it matches none (inserted);</li>
     *   <li>delete+insert: the target rows no batch row matches, and every batch row;</li>
     *   <li>insert_overwrite: the target rows in no partition of the batch, and every batch row.</li>
     * </ul>
     * A key with a NULL matches nothing, in the query as in the statements; a NULL partition value is a
     * partition, matched by {@code IS NOT DISTINCT FROM}.
     *
     * @param columns {@code target}'s columns in order, so the query has its shape
     */
    public static String applied(Dialect dialect, IncrementalStrategy strategy, List<String> keys, Relation target,
                                 Relation batch, List<String> columns) {
        String targetColumns = columnList(dialect, columns, "soma_target");
        String batchColumns = columnList(dialect, columns, "soma_source");
        // ANTI JOIN, not NOT EXISTS: DuckDB (1.5) reads the view's rows through it 2-3 times faster.
        String kept = "SELECT " + targetColumns + " FROM " + target.quoted(dialect) + " AS soma_target";
        String untouched = kept + "\n" + dialect.antiJoin() + " " + batch.quoted(dialect) + " AS soma_source ON "
                + keyMatch(dialect, keys, "soma_target", "soma_source");
        String otherPartitions = kept + "\n" + dialect.antiJoin() + " " + batch.quoted(dialect) + " AS soma_source ON "
                + partitionMatch(dialect, keys, "soma_target", "soma_source");
        String batchRows = "\nUNION ALL\nSELECT " + batchColumns + " FROM " + batch.quoted(dialect) + " AS soma_source";
        return switch (strategy) {
            case APPEND -> kept + batchRows;
            case MERGE -> untouched + batchRows + " LEFT JOIN " + target.quoted(dialect) + " AS soma_target ON "
                    + keyMatch(dialect, keys, "soma_target", "soma_source");
            case DELETE_INSERT -> untouched + batchRows;
            case INSERT_OVERWRITE -> otherPartitions + batchRows;
        };
    }

    /**
     * The strategy whose {@link #applied} query reads the same rows as {@code strategy}'s when no batch row
     * matches two target rows: a merge then replaces each matched row by its batch row, as a delete+insert
     * does, and the query needs no join back to the target.
     */
    public static IncrementalStrategy withoutRepeatedMatches(IncrementalStrategy strategy) {
        return strategy == IncrementalStrategy.MERGE ? IncrementalStrategy.DELETE_INSERT : strategy;
    }

    /** {@code left.k1 = right.k1 AND …} over {@code keys}. */
    static String keyMatch(Dialect dialect, List<String> keys, String left, String right) {
        StringJoiner match = new StringJoiner(" AND ");
        for (String key : keys) {
            String column = dialect.quote(key);
            match.add(left + "." + column + " = " + right + "." + column);
        }
        return match.toString();
    }

    /** {@code left.p1 IS NOT DISTINCT FROM right.p1 AND …}: NULL partition values match each other. */
    static String partitionMatch(Dialect dialect, List<String> partitionBy, String left, String right) {
        StringJoiner match = new StringJoiner(" AND ");
        for (String column : partitionBy) {
            String quoted = dialect.quote(column);
            match.add(left + "." + quoted + " IS NOT DISTINCT FROM " + right + "." + quoted);
        }
        return match.toString();
    }

    private static String columnList(Dialect dialect, List<String> columns, String alias) {
        StringJoiner list = new StringJoiner(", ");
        columns.forEach(column -> list.add(alias + "." + dialect.quote(column)));
        return list.toString();
    }
}
