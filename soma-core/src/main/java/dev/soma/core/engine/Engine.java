package dev.soma.core.engine;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between the engines Soma runs on, in one place per engine (SQLMesh's
 * {@code EngineAdapter}, jOOQ's per-dialect rendering): names ({@link #dialect()}), what the engine
 * can do, the DDL of each materialization, the incremental strategies, data-test and dedup queries,
 * row fingerprints, metadata lookups and session settings. Callers above the seam never test which
 * engine they run on; they ask it.
 *
 * <p>A {@code Warehouse} carries its engine ({@code warehouse.engine()}, and {@code session.engine()}
 * on each of its sessions); an engine is chosen by a target's {@code engine:} key and found through
 * its {@link EngineProvider}. Statements run through the {@link Session} a method is given (or that
 * the caller runs the returned text on): the seam is SQL text and capabilities.
 *
 * <p>Conventions: a {@code relation} parameter is already rendered by {@link #dialect()}
 * ({@code dialect().relation(schema, name)}); a {@code source} parameter is a relation or a
 * parenthesised query; a {@code query} parameter is a bare {@code SELECT}. Methods returning a
 * {@code List<String>} return statements to run in order, the last one's update count being the rows
 * written.
 *
 * <p>Implementations are immutable and thread-safe; methods taking a {@link Session} use only it.
 */
public interface Engine {

    /** The name a target's {@code engine:} key gives, lower case. */
    String name();

    /** The engine's name as its users write it, in messages ({@code DuckDB}, {@code Spark}). */
    default String displayName() {
        return name();
    }

    /** How this engine spells names and the expressions of the cross-engine macros. */
    Dialect dialect();

    // ---- capabilities ------------------------------------------------------------------------------

    /**
     * Whether several statements can commit or roll back as one. Without, {@code Session.inTransaction}
     * runs its statements one by one, and every atomic step must be one statement (see
     * {@link #replaceTable}).
     */
    boolean supportsTransactions();

    /**
     * Whether the catalog keeps views. Without, {@link #replaceView} builds what the engine documents
     * instead (a table, or a view that lives as long as the session).
     */
    boolean supportsViews();

    /** Whether {@code CREATE TABLE} may declare {@code PRIMARY KEY} and {@code NOT NULL}. */
    boolean supportsConstraints();

    /**
     * Whether {@code UPDATE … RETURNING} reads back the rows a statement changed. Without, a caller reads
     * them with a query after the update, identifying them by the values it wrote.
     */
    default boolean supportsReturning() {
        return false;
    }

    /**
     * Whether one process at a time writes the database (DuckDB's file lock), so that a lock held by a run
     * that is not running in this process belongs to a dead run. Without, runs of several processes may
     * write at once, and only a lock's age tells that its run is gone.
     */
    default boolean oneWriterProcess() {
        return false;
    }

    // ---- session ----------------------------------------------------------------------------------

    /** Statements every new session runs first (e.g. pinning the session time zone to UTC). */
    default List<String> sessionSetup() {
        return List.of();
    }

    /** The statement applying one entry of a target's {@code settings:} ({@code SET key = value}). */
    String setting(String key, Object value);

    // ---- schemas and metadata ---------------------------------------------------------------------

    /** {@code CREATE SCHEMA IF NOT EXISTS …} (a namespace in the engine's catalog). */
    String createSchema(String schema);

    /** What {@code schema.name} is, or {@code null} when there is no such relation. */
    RelationKind relationKind(Session session, String schema, String name);

    /** Every table and view of {@code schemas}, with as few catalog queries as the engine allows. */
    List<CatalogEntry> relations(Session session, Collection<String> schemas);

    /** The columns of {@code schema.name} in their order; empty when it does not exist. */
    List<Column> columns(Session session, String schema, String name);

    /** The definition of view {@code schema.name} as the catalog keeps it, or an empty string. */
    String viewDefinition(Session session, String schema, String name);

    /**
     * Whether the catalog matches names case-insensitively (DuckDB, Spark), so lookups keyed by name
     * should compare lower case.
     */
    default boolean caseInsensitiveNames() {
        return true;
    }

    // ---- materializations -------------------------------------------------------------------------

    /**
     * Replaces {@code schema.name} (a table, a view, or nothing: {@code existing}) by a table of
     * {@code query}'s rows, such that a failure at any point leaves the previous relation readable and
     * intact: a temporary table and a rename inside the caller's transaction, or one atomic
     * {@code CREATE OR REPLACE TABLE … AS}.
     *
     * @param tx the session to run on (in a transaction when the engine {@linkplain #supportsTransactions has them})
     * @return the rows of the new table
     */
    long replaceTable(Session tx, SqlOwner owner, String schema, String name, String query, RelationKind existing);

    /**
     * Makes {@code schema.name} a view of {@code query}, dropping a table of that name first
     * ({@code existing}). Where the catalog has no views ({@link #supportsViews()} false) the engine
     * builds what it documents instead.
     */
    void replaceView(Session tx, SqlOwner owner, String schema, String name, String query, RelationKind existing);

    /** {@code CREATE OR REPLACE TABLE relation AS query}: one statement, a table of the query's rows. */
    default String createOrReplaceTable(String relation, String query) {
        return "CREATE OR REPLACE TABLE " + relation + " AS\n" + query + "\n";
    }

    /** {@code DROP TABLE IF EXISTS relation}. */
    default String dropTable(String relation) {
        return "DROP TABLE IF EXISTS " + relation;
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS relation (…)} of a table Soma keeps for itself: the columns in
     * order, with {@code NOT NULL}, defaults and {@code PRIMARY KEY (primaryKey)} where the engine
     * {@linkplain #supportsConstraints() has constraints}, and without them where it has none.
     *
     * @param primaryKey the key columns, or empty
     */
    default String createTableIfMissing(String relation, List<ColumnDefinition> columns, List<String> primaryKey) {
        boolean constraints = supportsConstraints();
        java.util.StringJoiner body = new java.util.StringJoiner(", ", " (", ")");
        for (ColumnDefinition column : columns) {
            body.add(dialect().quote(column.name()) + " " + column.type()
                    + (constraints && column.required() ? " NOT NULL" : "")
                    + (constraints && column.defaultValue() != null ? " DEFAULT " + column.defaultValue() : ""));
        }
        if (constraints && !primaryKey.isEmpty()) {
            java.util.StringJoiner key = new java.util.StringJoiner(", ", "PRIMARY KEY (", ")");
            primaryKey.forEach(column -> key.add(dialect().quote(column)));
            body.add(key.toString());
        }
        return "CREATE TABLE IF NOT EXISTS " + relation + body + tableOptions();
    }

    /** What follows a {@code CREATE TABLE}'s column list (a storage clause such as {@code USING …}); empty by default. */
    default String tableOptions() {
        return "";
    }

    /**
     * Replaces {@code schema.name} (a table, a view, or nothing: {@code existing}) by a table of
     * {@code table}'s columns, types and constraints holding {@code query}'s rows (each column taken by
     * its declared name and cast to its declared type), such that a row breaking an enforced constraint
     * fails the statement and leaves the previous relation readable and intact.
     *
     * @return the rows of the new table
     */
    long replaceDeclaredTable(Session tx, SqlOwner owner, String schema, String name, DeclaredTable table, String query,
                              RelationKind existing);

    /**
     * The constraints of {@code table} that {@link #replaceDeclaredTable} does not enforce on this engine,
     * each said in a few words for a warning ({@code primary_key (id) is not enforced: …}); empty when it
     * enforces them all.
     */
    default List<String> unenforced(DeclaredTable table) {
        return List.of();
    }

    /** The columns (names and this engine's type names) {@code query} would give, without running it. */
    List<Column> describeQuery(Session session, SqlOwner owner, String query);

    /** Renames table {@code schema.from} to {@code schema.to}; engines without a rename say so. */
    String renameTable(String schema, String from, String to);

    /**
     * A query reading a CSV file with a header row (a seed), with {@code types} (column → SQL type)
     * overriding what the engine infers.
     */
    String readCsv(String path, Map<String, String> types);

    // ---- incremental strategies -------------------------------------------------------------------

    /**
     * Appends every row of {@code source} to {@code target}, matching columns by name.
     *
     * @param source what follows {@code SELECT * FROM}: a relation or a parenthesised query, optionally
     *               with an alias and a {@code WHERE} clause after it
     */
    String insertByName(String target, String source);

    /**
     * Replaces the rows of {@code target} matching {@code predicate} by the rows of {@code source} (a
     * window of a windowed model): a delete and an insert in the caller's transaction, or one statement
     * that commits once where the engine has no transactions.
     *
     * @param source as for {@link #insertByName}; its rows all match {@code predicate}
     */
    List<String> replaceWhere(String target, String predicate, String source);

    /**
     * A table for this session's own use (a stage), named {@code name} without a schema, holding
     * {@code query}'s rows; dropped with {@link #dropTable dropTable(name)}.
     */
    String createStage(String name, String query);

    /**
     * Inserts those rows of {@code source} whose {@code keys} are not in {@code target} yet, in one statement
     * ({@code ON CONFLICT DO NOTHING}, or a {@code MERGE} that only inserts).
     *
     * @param columns the columns of {@code target} that {@code source} gives values for
     * @param source  a query whose output columns are {@code columns}, named so and in that order; constants
     *                written once in its {@code SELECT} rather than in every row of a {@code VALUES} list cost
     *                the engine one literal to read, not one a row
     */
    String insertMissing(String target, List<String> keys, List<String> columns, String source);

    /**
     * Updates the rows of {@code target} (aliased {@code targetAlias}) matching a row of {@code source}
     * ({@code on}) by {@code assignments} ({@code column = expression, …}, unqualified target columns,
     * expressions over both aliases): {@code UPDATE … FROM}, or a {@code MERGE} that only updates. Each
     * target row matches at most one source row.
     *
     * @param source a relation or parenthesised query, with its alias
     * @return the statement; its update count is the rows updated where the engine reports one
     */
    String updateFrom(String target, String targetAlias, String source, String on, String assignments);

    /**
     * Merges {@code source} into {@code target} on {@code keys}: a matched row is updated to the source
     * row (every column, by name), an unmatched source row inserted.
     */
    String merge(List<String> keys, String target, String source);

    /**
     * Deletes the {@code target} rows whose {@code keys} match a row of the table {@code batch}, then
     * inserts every {@code batch} row ({@code DELETE … USING} or {@code WHERE EXISTS}).
     */
    List<String> deleteInsert(List<String> keys, String target, String batch);

    /**
     * Replaces the partitions of {@code target} that rows of the table {@code batch} fall in (by the
     * values of {@code partitionBy}) with those rows.
     */
    List<String> insertOverwrite(List<String> partitionBy, String target, String batch);

    // ---- data tests, dedup, sampling, fingerprints ------------------------------------------------

    /**
     * The rows beyond the first of each group of {@code partitionBy}, with exactly the columns of the
     * rows read (no helper column): {@code count(*) - count(DISTINCT key)} rows.
     *
     * @param partitionBy a column list, already quoted
     * @param from        what follows {@code FROM}: a relation or subquery with its alias, and optionally
     *                    joins and a {@code WHERE}
     */
    String beyondFirst(String partitionBy, String from);

    /** The first row of each group of {@code partitionBy} in {@code query}, by {@code orderBy} (dedup). */
    String firstPerGroup(String query, String partitionBy, String orderBy);

    /** About {@code percent} per cent of {@code relation}'s rows, chosen at random (a sample). */
    String sample(String relation, double percent);

    /**
     * A query with one row of two columns: {@code n}, the number of rows of {@code query}, and {@code h},
     * an order-independent checksum of them as a string. Two results compare equal when the rows are the
     * same multiset (with a checksum's chance of collision).
     */
    String fingerprint(String query);

    // ---- write-audit-publish ----------------------------------------------------------------------

    /**
     * How a write-audit-publish build keeps its tables apart from the live ones on an engine with table
     * branches (Iceberg): an audit branch per table, published by a fast-forward, one table at a time.
     * Empty (the default): shadow tables beside the live ones ({@code <name>__audit}), made live by
     * renames in one transaction.
     */
    default Optional<AuditBranches> auditBranches() {
        return Optional.empty();
    }

    // ---- other environments (soma diff, --defer) ---------------------------------------------------

    /**
     * Whether {@code soma diff} and {@code --defer} run on this engine: they reach another target's or an
     * earlier run's relations by attaching its database file read-only ({@code ATTACH}) and compare them
     * in this engine's SQL. Engines whose environments are catalogs of one session (Spark) answer
     * {@code false} until that is carried over; both commands then stop with a message saying so.
     */
    default boolean comparesAcrossDatabases() {
        return false;
    }

    // ---- reading rows -----------------------------------------------------------------------------

    /**
     * A column every table has that numbers its rows in storage order, usable for keyset paging
     * ({@code WHERE rowid > ? ORDER BY rowid}); empty when the engine keeps none.
     */
    default Optional<String> rowIdColumn() {
        return Optional.empty();
    }

    // ---- Parquet files ----------------------------------------------------------------------------

    /**
     * The statement writing {@code query}'s rows to one Parquet file at {@code file} (a local path),
     * replacing it.
     *
     * @throws dev.soma.core.error.SomaException when the engine does not write single Parquet files
     */
    default String copyToParquet(String query, String file) {
        throw new dev.soma.core.error.SomaException(dev.soma.core.error.ErrorCode.INVALID_CONFIG, displayName()
                + " does not write Parquet files for Soma; write them with the default engine");
    }

    /**
     * The statement replacing table {@code relation} (or making it) by the rows of the Parquet file or
     * folder at {@code location} (a local path, or a URI the engine reads), columns and types as the
     * file keeps them: one atomic step.
     */
    String loadParquet(String relation, String location);
}
