package dev.soma.models.internal.materialize;

import dev.soma.core.engine.Column;
import dev.soma.core.engine.DeclaredTable;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.Relation;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.contract.ContractCheck;
import dev.soma.models.internal.contract.ContractTable;
import dev.soma.models.internal.project.IncrementalStrategy;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.SeedNode;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;

/**
 * Builds compiled models and seeds into the warehouse, in the SQL of the session's
 * {@linkplain Session#engine() engine} (which owns the DDL of each materialization and strategy).
 * Stateless; each call works on the session it is given, so workers may call it concurrently with
 * their own sessions.
 */
public final class Materializer {

    private final Path projectRoot;

    /** @param projectRoot where model files are read from to map an error's line to the source; may be {@code null} */
    public Materializer(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    private String sourceText(String path) {
        if (projectRoot == null || path == null) {
            return null;
        }
        try {
            return java.nio.file.Files.readString(projectRoot.resolve(path));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Builds {@code compiled} as its materialization says.
     *
     * @param existing     what the relation is now, or {@code null}
     * @param compiledPath the compiled SQL file, named in errors
     * @throws ModelExecutionException when DuckDB rejects the SQL; nothing of this build remains
     */
    public Outcome materialize(CompiledModel compiled, RelationType existing, Session session, Path compiledPath) {
        return materialize(compiled, existing, session, compiledPath, false);
    }

    /**
     * Builds {@code compiled}; with {@code keepIncrement}, an incremental build keeps the rows it added or
     * changed in an {@link Increment} table for the run's tests, when they can be known exactly (see
     * {@link #incremental}).
     */
    public Outcome materialize(CompiledModel compiled, RelationType existing, Session session, Path compiledPath,
                               boolean keepIncrement) {
        ModelNode model = compiled.model();
        SqlOwner owner = SqlOwner.model(model.name());
        try {
            if (model.contractEnforced()) {
                // Every run, incremental ones too: the query is planned, not run, and compared with the contract.
                ContractCheck.verify(model, compiled.sql(), session, owner);
            }
            if (model.materialized() == Materialization.VIEW && existing != RelationType.TABLE
                    && compiled.preHooks().isEmpty() && compiled.postHooks().isEmpty()) {
                // One DDL statement is atomic on its own: no transaction round trips.
                return view(session, owner, model.relation(), compiled.sql(), existing);
            }
            return session.inTransaction(owner, tx -> {
                runHooks(tx, owner, compiled.preHooks());
                Outcome outcome = switch (model.materialized()) {
                    case VIEW -> view(tx, owner, model.relation(), compiled.sql(), existing);
                    case TABLE -> modelTable(tx, owner, model, compiled.sql(), existing);
                    case INCREMENTAL -> compiled.incremental()
                            ? keepIncrement ? keptIncrement(tx, owner, model, compiled.sql())
                                    : incremental(tx, owner, model, compiled.sql())
                            : modelTable(tx, owner, model, compiled.sql(), existing);
                    case EPHEMERAL -> throw new IllegalStateException(model.name() + " is ephemeral: it is inlined, never built");
                    case WINDOWED -> throw new IllegalStateException(model.name() + " is windowed: WindowedBuild builds it");
                };
                runHooks(tx, owner, compiled.postHooks());
                return outcome;
            });
        } catch (SqlExecutionException e) {
            throw asModelError(e, owner, compiledPath, compiled);
        }
    }

    /**
     * Builds an incremental model of a write-audit-publish build whose shadow (the model's relation, a view
     * reading {@code live} when this starts, which is what the compiled {@code this} names) is not a copy of
     * the live table: the batch goes to the {@linkplain IncrementStatements#deltaFor delta table}, and the
     * shadow becomes a view reading as {@code live} with the batch applied ({@link IncrementStatements#applied}).
     * Nothing the size of the live table is written; publishing applies the delta to it.
     *
     * <p>When a view cannot show the result exactly (the batch has other column names or types than the
     * live table, so applying it would cast or fill in; or a merge batch repeats a key or has a NULL one),
     * the shadow becomes a table instead: a copy of {@code live} with the batch applied, and no delta stays.
     *
     * @param keepIncrement keep the batch as an {@link Increment} of the shadow for the run's tests, when
     *                      it is exactly the rows the shadow gained or changed
     */
    public Outcome incrementOverLive(CompiledModel compiled, Relation live, Session session, Path compiledPath,
                                     boolean keepIncrement) {
        ModelNode model = compiled.model();
        SqlOwner owner = SqlOwner.model(model.name());
        Relation shadow = model.relation();
        Relation delta = IncrementStatements.deltaFor(live);
        IncrementalStrategy strategy = model.incrementalStrategy();
        List<String> keys = model.matchColumns();
        Engine engine = session.engine();
        Dialect d = engine.dialect();
        try {
            return session.inTransaction(owner, tx -> {
                tx.execute(owner, engine.createOrReplaceTable(delta.quoted(d), compiled.sql()));
                boolean exact = columns(tx, delta).equals(columns(tx, live))
                        && (strategy != IncrementalStrategy.MERGE || distinctKeys(tx, owner, delta, keys));
                if (!exact) {
                    tx.execute(owner, "DROP VIEW " + shadow.quoted(d));
                    tx.execute(owner, "CREATE TABLE " + shadow.quoted(d) + " AS SELECT * FROM " + live.quoted(d));
                    String message = message(tx, owner, model, delta);
                    long rows = applyBatch(tx, owner, model, shadow, delta);
                    tx.execute(owner, "DROP TABLE " + delta.quoted(d));
                    return new Outcome(rows, message + " into a copy of the live table");
                }
                long rows = tx.queryLong(owner, "SELECT count(*) FROM " + delta.quoted(d));
                // A merge row matching two live rows changes both; when none does, the merge has the rows of a
                // delete+insert (the simpler view, with no join to live), and the batch is exactly what changed.
                boolean oneForOne = strategy != IncrementalStrategy.MERGE || rows == 0 || rows == tx.queryLong(owner,
                        "SELECT count(*) FROM " + delta.quoted(d) + " AS soma_source LEFT JOIN " + live.quoted(d)
                                + " AS soma_target ON " + IncrementStatements.keyMatch(d, keys, "soma_target", "soma_source"));
                if (rows > 0) {
                    // Empty, the shadow stays the plain view of live: readers skip the join with the delta.
                    tx.execute(owner, "CREATE OR REPLACE VIEW " + shadow.quoted(d) + " AS\n" + IncrementStatements.applied(d,
                            oneForOne ? IncrementStatements.withoutRepeatedMatches(strategy) : strategy, keys, live, delta,
                            columnsInOrder(tx, live)) + "\n");
                }
                String message = message(tx, owner, model, delta);
                if (!keepIncrement || !oneForOne) {
                    return new Outcome(rows, message);
                }
                Relation kept = Increment.tableFor(shadow);
                tx.execute(owner, engine.createOrReplaceTable(kept.quoted(d), "SELECT * FROM " + delta.quoted(d)).stripTrailing());
                return new Outcome(rows, message, new Increment(shadow, kept, rows));
            });
        } catch (SqlExecutionException e) {
            throw asModelError(e, owner, compiledPath, compiled);
        }
    }

    /** Loads a seed CSV with the engine's reader into a fresh table, swapped in like a table model. */
    public Outcome loadSeed(SeedNode seed, Path csv, RelationType existing, Session session) {
        SqlOwner owner = SqlOwner.seed(seed.name());
        String reader = session.engine().readCsv(csv.toAbsolutePath().toString(), seed.config().columnTypes());
        try {
            return session.inTransaction(owner, tx -> table(tx, owner, seed.relation(), reader, existing));
        } catch (SqlExecutionException e) {
            throw new ModelExecutionException(owner, null, e.sql(), sqlCause(e), e.engine());
        }
    }

    private static Outcome view(Session tx, SqlOwner owner, Relation relation, String sql, RelationType existing) {
        tx.engine().replaceView(tx, owner, relation.schema(), relation.identifier(), sql, kind(existing));
        return new Outcome(-1, "CREATE VIEW");
    }

    /**
     * A table model: with an enforced contract, the declared columns, types and constraints, built by the
     * engine, which says which constraints it cannot enforce (a warning in the result).
     */
    private static Outcome modelTable(Session tx, SqlOwner owner, ModelNode model, String sql, RelationType existing) {
        if (!model.contractEnforced()) {
            return table(tx, owner, model.relation(), sql, existing);
        }
        Engine engine = tx.engine();
        Relation relation = model.relation();
        DeclaredTable declared = ContractTable.of(model);
        long rows = engine.replaceDeclaredTable(tx, owner, relation.schema(), relation.identifier(), declared, sql, kind(existing));
        List<String> unenforced = engine.unenforced(declared);
        return new Outcome(rows, unenforced.isEmpty() ? "CREATE TABLE"
                : "CREATE TABLE\n  warning: model " + model.name() + ": " + String.join("; ", unenforced));
    }

    /** A table replacing {@code relation} atomically, as the engine does it (see {@link Engine#replaceTable}). */
    private static Outcome table(Session tx, SqlOwner owner, Relation relation, String sql, RelationType existing) {
        long rows = tx.engine().replaceTable(tx, owner, relation.schema(), relation.identifier(), sql, kind(existing));
        return new Outcome(rows, "CREATE TABLE");
    }

    private static RelationKind kind(RelationType type) {
        return type == null ? null : type == RelationType.VIEW ? RelationKind.VIEW : RelationKind.TABLE;
    }

    private static Outcome incremental(Session tx, SqlOwner owner, ModelNode model, String sql) {
        Relation target = model.relation();
        List<String> keys = model.config().uniqueKeyColumns();
        String message = IncrementStatements.message(model.incrementalStrategy());
        Engine engine = tx.engine();
        String quoted = target.quoted(engine.dialect());
        return switch (model.incrementalStrategy()) {
            case APPEND -> new Outcome(tx.execute(owner, engine.insertByName(quoted, "(\n" + sql + "\n)")), message);
            case MERGE -> new Outcome(tx.execute(owner, engine.merge(keys, quoted, "(\n" + sql + "\n)")), message);
            case DELETE_INSERT, INSERT_OVERWRITE -> throughBatchTable(tx, owner, model, sql);
        };
    }

    /**
     * An incremental build whose batch is first written to the {@link Increment} table, then added to
     * the model's table from there. The increment holds exactly the rows this build added or changed when
     * the batch has the table's column names and types (no column left to keep an old value, no cast
     * on the way in) and:
     * <ul>
     *   <li>append: always, the batch is what was appended;</li>
     *   <li>delete+insert: always, every row matching a batch key is deleted and the batch inserted;</li>
     *   <li>merge: when the batch's keys are distinct and not null, and the merge touched exactly as many
     *       rows as the batch has, so every batch row replaced or became exactly one row (a key matching
     *       two rows of the table, or a repeated or NULL key in the batch, fail this).</li>
     * </ul>
     * Otherwise the increment is dropped and the run's tests check the whole table.
     */
    private static Outcome keptIncrement(Session tx, SqlOwner owner, ModelNode model, String sql) {
        Relation target = model.relation();
        Relation kept = Increment.tableFor(target);
        List<String> keys = model.matchColumns();
        Engine engine = tx.engine();
        Dialect d = engine.dialect();
        tx.execute(owner, engine.createSchema(kept.schema()));
        tx.execute(owner, engine.createOrReplaceTable(kept.quoted(d), sql));
        boolean exact = columns(tx, kept).equals(columns(tx, target));
        String message = message(tx, owner, model, kept);
        long rows = applyBatch(tx, owner, model, target, kept);
        if (model.incrementalStrategy() == IncrementalStrategy.MERGE) {
            exact = exact && distinctKeys(tx, owner, kept, keys) && rows == tx.queryLong(owner, "SELECT count(*) FROM " + kept.quoted(d));
        }
        if (!exact) {
            tx.execute(owner, "DROP TABLE " + kept.quoted(d));
            return new Outcome(rows, message);
        }
        long keptRows = tx.queryLong(owner, "SELECT count(*) FROM " + kept.quoted(d));
        return new Outcome(rows, message, new Increment(target, kept, keptRows));
    }

    /** Column names and types of a table, sorted by name: two tables compare equal when rows move between them unchanged. */
    private static List<String> columns(Session tx, Relation relation) {
        return tx.engine().columns(tx, relation.schema(), relation.identifier()).stream()
                .sorted(Comparator.comparing(Column::name)).map(c -> c.name() + " " + c.type()).toList();
    }

    /** Column names of a table in their order. */
    private static List<String> columnsInOrder(Session tx, Relation relation) {
        return tx.engine().columns(tx, relation.schema(), relation.identifier()).stream().map(Column::name).toList();
    }

    /**
     * Whether every row of {@code batch} has a key with no NULL, and no key twice. After a merge of such a
     * batch, each batch row updated the rows its key matches or was inserted once, so the merge's count
     * equals the batch's size exactly when no key matched two rows. Reads only the batch.
     */
    private static boolean distinctKeys(Session tx, SqlOwner owner, Relation batch, List<String> keys) {
        Dialect d = tx.engine().dialect();
        StringJoiner list = new StringJoiner(", ");
        StringJoiner nonNull = new StringJoiner(" AND ");
        keys.forEach(k -> {
            list.add(d.quote(k));
            nonNull.add(d.quote(k) + " IS NOT NULL");
        });
        return tx.query(owner, "SELECT count(*) = count(DISTINCT (" + list + ")) FILTER (WHERE " + nonNull + ") FROM "
                + batch.quoted(d), rs -> rs.next() && rs.getBoolean(1));
    }

    /**
     * Adds {@code batch} to {@code target} by the model's strategy; the rows written (for insert_overwrite,
     * the batch's rows: its statement's count may include the rows it deleted).
     */
    private static long applyBatch(Session tx, SqlOwner owner, ModelNode model, Relation target, Relation batch) {
        long rows = 0;
        for (String statement : IncrementStatements.apply(tx.engine(), model.incrementalStrategy(),
                model.matchColumns(), target, batch)) {
            rows = tx.execute(owner, statement);
        }
        if (model.incrementalStrategy() == IncrementalStrategy.INSERT_OVERWRITE) {
            rows = tx.queryLong(owner, "SELECT count(*) FROM " + batch.quoted(tx.engine().dialect()));
        }
        return rows;
    }

    /**
     * The result message of adding {@code batch} by the model's strategy: {@code MERGE}, …, and for
     * insert_overwrite how many partitions it replaces ({@code INSERT OVERWRITE 3 partitions}; a NULL
     * partition value counts as one).
     */
    private static String message(Session tx, SqlOwner owner, ModelNode model, Relation batch) {
        String message = IncrementStatements.message(model.incrementalStrategy());
        if (model.incrementalStrategy() != IncrementalStrategy.INSERT_OVERWRITE) {
            return message;
        }
        Dialect d = tx.engine().dialect();
        StringJoiner columns = new StringJoiner(", ");
        model.matchColumns().forEach(c -> columns.add(d.quote(c)));
        long partitions = tx.queryLong(owner, "SELECT count(*) FROM (SELECT DISTINCT " + columns + " FROM "
                + batch.quoted(d) + ") AS soma_partitions");
        return message + " " + partitions + (partitions == 1 ? " partition" : " partitions");
    }

    /** A strategy of more than one statement over the batch (delete+insert, insert_overwrite): the batch is a table first. */
    private static Outcome throughBatchTable(Session tx, SqlOwner owner, ModelNode model, String sql) {
        Relation target = model.relation();
        Relation batch = new Relation(target.schema(), target.identifier() + "__soma_batch");
        Engine engine = tx.engine();
        Dialect d = engine.dialect();
        tx.execute(owner, engine.dropTable(batch.quoted(d)));
        tx.execute(owner, "CREATE TABLE " + batch.quoted(d) + " AS\n" + sql + "\n");
        String message = message(tx, owner, model, batch);
        long rows = applyBatch(tx, owner, model, target, batch);
        tx.execute(owner, "DROP TABLE " + batch.quoted(d));
        return new Outcome(rows, message);
    }

    private static void runHooks(Session tx, SqlOwner owner, List<String> hooks) {
        for (String hook : hooks) {
            if (!hook.isBlank()) {
                tx.execute(owner, hook);
            }
        }
    }

    private ModelExecutionException asModelError(SqlExecutionException e, SqlOwner owner, Path compiledPath,
                                                 CompiledModel compiled) {
        SQLException cause = sqlCause(e);
        String mapped = ErrorLines.remap(e.databaseMessage(), e.sql(), compiled.sql(), sourceText(compiled.model().path()),
                compiled.model().path());
        if (!mapped.equals(e.databaseMessage())) {
            cause = new SQLException(mapped, cause.getSQLState(), cause);
        }
        if (compiled.incremental()) {
            String text = mapped;
            if (text.contains("not found") || text.contains("does not exist") || text.contains("Binder Error")) {
                cause = new SQLException(text + "\n(this was an incremental build into the existing table; if the model's "
                        + "columns changed, rebuild it with --full-refresh)", cause);
            }
        }
        return new ModelExecutionException(owner, compiledPath, e.sql(), cause, e.engine());
    }

    private static SQLException sqlCause(SqlExecutionException e) {
        return e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
    }
}
