package dev.soma.spark.engine;

import dev.soma.core.engine.AuditBranches;
import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.engine.Column;
import dev.soma.core.engine.DeclaredTable;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Spark with Iceberg tables.
 *
 * <ul>
 *   <li>A table is {@code CREATE OR REPLACE TABLE … USING iceberg AS}: one atomic Iceberg commit, so a
 *       failed build leaves the previous table readable (no temporary table, no rename: the Hadoop
 *       catalog has neither {@code RENAME} nor multi-statement transactions).</li>
 *   <li>A view, on a catalog without views (Iceberg's Hadoop catalog, the default), is built as a
 *       table: a Spark temporary view would vanish with the session, and the next run, {@code soma
 *       test} or {@code soma serve} could not read it. Catalogs with views (REST, Hive) get
 *       {@code CREATE OR REPLACE VIEW}.</li>
 *   <li>Merge is {@code MERGE INTO … UPDATE SET * / INSERT *}; delete+insert deletes with
 *       {@code WHERE EXISTS} (Spark has no {@code DELETE … USING}); insert_overwrite replaces the batch's
 *       partitions with one {@code MERGE}: one Iceberg commit.</li>
 *   <li>Duplicates and dedup use {@code row_number()} with an {@code ORDER BY} (Spark requires one) over
 *       a {@code struct(*)} of the row, since Spark has neither {@code SELECT * EXCLUDE} nor (before 4.2)
 *       {@code QUALIFY}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class SparkEngine implements Engine {

    /** The engine's name in a target's {@code engine:} key. */
    public static final String NAME = "spark";

    private final SparkDialect dialect;
    private final boolean views;
    private final SparkCatalogQueries catalog;
    private final SparkAuditBranches audits;

    /**
     * @param catalog the Iceberg catalog relations live in
     * @param views   whether that catalog keeps views (not the Hadoop catalog)
     */
    public SparkEngine(String catalog, boolean views) {
        this.dialect = new SparkDialect(catalog);
        this.views = views;
        this.catalog = new SparkCatalogQueries(dialect, views);
        this.audits = new SparkAuditBranches(dialect, this.catalog);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String displayName() {
        return "Spark";
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public boolean supportsTransactions() {
        return false;
    }

    @Override
    public boolean supportsViews() {
        return views;
    }

    @Override
    public boolean supportsConstraints() {
        return false;
    }

    /** Each connection runs on its own Spark session (temporary views apart): pin it to UTC too. */
    @Override
    public List<String> sessionSetup() {
        return List.of("SET spark.sql.session.timeZone = UTC");
    }

    @Override
    public String setting(String key, Object value) {
        if (!key.matches("[A-Za-z0-9_.\\-]+")) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "Spark setting " + key + " is not a setting name");
        }
        return "SET " + key + " = " + value;
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE NAMESPACE IF NOT EXISTS " + dialect.namespace(schema);
    }

    @Override
    public RelationKind relationKind(Session session, String schema, String name) {
        if (AuditBranches.isAuditName(name)) {
            return auditKind(session, schema, name);
        }
        return catalog.relationKind(session, schema, name);
    }

    @Override
    public List<CatalogEntry> relations(Session session, Collection<String> schemas) {
        return catalog.relations(session, schemas);
    }

    @Override
    public List<Column> columns(Session session, String schema, String name) {
        if (AuditBranches.isAuditName(name)) {
            return auditColumns(session, schema, name);
        }
        return catalog.columns(session, schema, name);
    }

    /** {@code SHOW CREATE TABLE} of a view, on catalogs that keep views; otherwise there are none. */
    @Override
    public String viewDefinition(Session session, String schema, String name) {
        if (!views || relationKind(session, schema, name) != RelationKind.VIEW) {
            return "";
        }
        return session.query(SqlOwner.soma("catalog"), "SHOW CREATE TABLE " + dialect.relation(schema, name),
                rs -> rs.next() ? rs.getString(1) : "");
    }

    @Override
    public long replaceTable(Session tx, SqlOwner owner, String schema, String name, String query, RelationKind existing) {
        if (AuditBranches.isAuditName(name)) {
            return audits.write(tx, owner, schema, AuditBranches.liveName(name), query);
        }
        String relation = dialect.relation(schema, name);
        if (existing == RelationKind.VIEW) {
            tx.execute(owner, "DROP VIEW IF EXISTS " + relation);
        }
        tx.execute(owner, createOrReplaceTable(relation, query));
        // Iceberg answers count(*) from its metadata (aggregate push-down), without a scan.
        return tx.queryLong(owner, "SELECT count(*) FROM " + relation);
    }

    /**
     * One {@code CREATE OR REPLACE TABLE … AS}, one atomic Iceberg commit, whose query checks the rows as it
     * writes them: a NULL in a {@code NOT NULL} column, or a row whose check is false, raises an error
     * ({@code raise_error}) naming the column or the check, and the statement, so the commit, fails; every
     * column is cast to its declared type (ANSI casts fail on values that do not fit). Iceberg's schema
     * keeps the declared types; its columns stay optional, since Spark makes the columns of a
     * {@code … AS} query nullable and Iceberg cannot make a column required afterwards. Primary keys and
     * unique constraints are not enforced ({@link #unenforced}).
     */
    @Override
    public long replaceDeclaredTable(Session tx, SqlOwner owner, String schema, String name, DeclaredTable table,
                                     String query, RelationKind existing) {
        String relation = dialect.relation(schema, name);
        StringJoiner columns = new StringJoiner(",\n  ");
        for (DeclaredTable.DeclaredColumn column : table.columns()) {
            String quoted = dialect.quote(column.name());
            String value = column.notNull() ? "CASE WHEN " + quoted + " IS NULL THEN raise_error(" + dialect.literal(
                    schema + "." + name + ": column " + column.name() + " is NULL in a row; its contract says not_null")
                    + ") ELSE " + quoted + " END" : quoted;
            columns.add("CAST(" + value + " AS " + dialect.typeName(column.type()) + ") AS " + quoted);
        }
        StringJoiner checks = new StringJoiner(" AND ", "\nWHERE ", "");
        checks.setEmptyValue("");
        for (String check : table.checks()) {
            checks.add("CASE WHEN NOT (" + check + ") THEN raise_error(" + dialect.literal(schema + "." + name
                    + ": a row breaks the check constraint " + check) + ") ELSE true END");
        }
        if (existing == RelationKind.VIEW) {
            tx.execute(owner, "DROP VIEW IF EXISTS " + relation);
        }
        tx.execute(owner, createOrReplaceTable(relation, "SELECT\n  " + columns + "\nFROM (\n" + query
                + "\n) AS soma_contracted" + checks));
        return tx.queryLong(owner, "SELECT count(*) FROM " + relation);
    }

    /** Iceberg keeps no keys: a primary key is checked for NULLs only, a unique constraint not at all. */
    @Override
    public List<String> unenforced(DeclaredTable table) {
        List<String> unenforced = new ArrayList<>();
        if (!table.primaryKey().isEmpty()) {
            unenforced.add("primary_key (" + String.join(", ", table.primaryKey()) + ") is not enforced on Spark + Iceberg"
                    + " (no keys; its columns are checked for NULLs only): test it with unique");
        }
        for (List<String> unique : table.unique()) {
            unenforced.add("unique (" + String.join(", ", unique) + ") is not enforced on Spark + Iceberg (no keys): "
                    + "test it with unique");
        }
        return unenforced;
    }

    @Override
    public List<Column> describeQuery(Session session, SqlOwner owner, String query) {
        return session.queryList(owner, "DESCRIBE QUERY\n" + query, rs -> new Column(rs.getString(1), rs.getString(2)));
    }

    @Override
    public void replaceView(Session tx, SqlOwner owner, String schema, String name, String query, RelationKind existing) {
        if (!views) {
            replaceTable(tx, owner, schema, name, query, existing);
            return;
        }
        if (AuditBranches.isAuditName(name)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, schema + "." + AuditBranches.liveName(name) + " is a view, and "
                    + "only tables have audit branches: leave views out of publish builds on this catalog "
                    + "(--exclude config.materialized:view), or build them without --publish");
        }
        String relation = dialect.relation(schema, name);
        if (existing == RelationKind.TABLE) {
            tx.execute(owner, "DROP TABLE IF EXISTS " + relation);
        }
        tx.execute(owner, "CREATE OR REPLACE VIEW " + relation + " AS\n" + query + "\n");
    }

    @Override
    public String createOrReplaceTable(String relation, String query) {
        return "CREATE OR REPLACE TABLE " + relation + " USING iceberg AS\n" + query + "\n";
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        if (!views) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "Iceberg's Hadoop catalog cannot rename tables ("
                    + schema + "." + from + " to " + to + "); use a REST or Hive catalog for renames");
        }
        return "ALTER TABLE " + dialect.relation(schema, from) + " RENAME TO " + dialect.quote(schema) + "." + dialect.quote(to);
    }

    @Override
    public String readCsv(String path, Map<String, String> types) {
        return SeedValues.query(path, types, dialect);
    }

    @Override
    public String insertByName(String target, String source) {
        return "INSERT INTO " + target + " BY NAME SELECT * FROM " + source;
    }

    /**
     * One {@code MERGE} that deletes the target's rows matching {@code predicate} and inserts the source's,
     * in one Iceberg commit ({@code ON false}: no target row matches a source row; the predicate's
     * unqualified columns are the target's in {@code NOT MATCHED BY SOURCE}).
     */
    @Override
    public List<String> replaceWhere(String target, String predicate, String source) {
        return List.of("MERGE INTO " + target + " AS soma_target\nUSING (SELECT * FROM " + source + ") AS soma_source\nON false"
                + "\nWHEN NOT MATCHED THEN INSERT *"
                + "\nWHEN NOT MATCHED BY SOURCE AND (" + predicate + ") THEN DELETE");
    }

    /**
     * A stage is a cached temporary view ({@code CACHE TABLE … AS}, computed when created): Spark has no
     * temporary tables, and each connection has its own Spark session, so stages of two threads never
     * meet. Should Spark evict the cache, the query is computed again from the same inputs.
     */
    @Override
    public String createStage(String name, String query) {
        return "CACHE TABLE " + dialect.quote(name) + " AS\n" + query;
    }

    /** A stage (a name without a schema) is a temporary view: dropping it also frees its cache. */
    @Override
    public String dropTable(String relation) {
        return relation.contains(".") ? "DROP TABLE IF EXISTS " + relation : "DROP VIEW IF EXISTS " + relation;
    }

    /** A {@code MERGE} that only inserts, one Iceberg commit (Spark has no {@code ON CONFLICT}). */
    @Override
    public String insertMissing(String target, List<String> keys, List<String> columns, String source) {
        StringJoiner values = new StringJoiner(", ");
        columns.forEach(column -> values.add("soma_source." + column));
        StringJoiner match = new StringJoiner(" AND ");
        keys.forEach(key -> match.add("soma_target." + key + " = soma_source." + key));
        return "MERGE INTO " + target + " AS soma_target\nUSING (\n" + source + "\n) AS soma_source\nON " + match
                + "\nWHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES (" + values + ")";
    }

    /** A {@code MERGE} that only updates (Spark has no {@code UPDATE … FROM}); it reports no row count. */
    @Override
    public String updateFrom(String target, String targetAlias, String source, String on, String assignments) {
        return "MERGE INTO " + target + " AS " + targetAlias + "\nUSING " + source + "\nON " + on
                + "\nWHEN MATCHED THEN UPDATE SET " + assignments;
    }

    @Override
    public String merge(List<String> keys, String target, String source) {
        return "MERGE INTO " + target + " AS soma_target\nUSING " + source + " AS soma_source\nON "
                + keyMatch(keys, "soma_target", "soma_source")
                + "\nWHEN MATCHED THEN UPDATE SET *\nWHEN NOT MATCHED THEN INSERT *";
    }

    @Override
    public List<String> deleteInsert(List<String> keys, String target, String batch) {
        return List.of(
                "DELETE FROM " + target + " AS soma_target WHERE EXISTS (SELECT 1 FROM " + batch + " AS soma_source WHERE "
                        + keyMatch(keys, "soma_target", "soma_source") + ")",
                insertByName(target, batch));
    }

    /**
     * One {@code MERGE}, one Iceberg commit: a delete and an insert would be two, and a failure between
     * them would leave the batch's partitions empty. Its source is the batch's rows, to insert, and one
     * row per partition of the batch ({@code soma_overwrite} true), which matches, and deletes, every
     * target row of that partition ({@code <=>}: a NULL partition value is a partition too). Neither
     * Spark's dynamic {@code INSERT OVERWRITE} (it needs the table partitioned by exactly these columns,
     * and replaces the whole table when it is not partitioned) nor an overwrite by filter (Iceberg refuses
     * one that does not align with its files) fits a table built by {@code CREATE TABLE … AS}.
     */
    @Override
    public List<String> insertOverwrite(List<String> partitionBy, String target, String batch) {
        StringJoiner match = new StringJoiner(" AND ");
        StringJoiner columns = new StringJoiner(", ");
        for (String column : partitionBy) {
            String quoted = dialect.quote(column);
            match.add("soma_target." + quoted + " <=> soma_source." + quoted);
            columns.add(quoted);
        }
        String partitions = firstPerGroup("SELECT * FROM " + batch, columns.toString(), columns.toString());
        return List.of("MERGE INTO " + target + " AS soma_target\nUSING (\n  SELECT *, false AS soma_overwrite FROM " + batch
                + "\n  UNION ALL\n  SELECT *, true AS soma_overwrite FROM (" + partitions + ") AS soma_partitions\n) AS soma_source"
                + "\nON soma_source.soma_overwrite AND " + match
                + "\nWHEN MATCHED THEN DELETE"
                + "\nWHEN NOT MATCHED AND NOT soma_source.soma_overwrite THEN INSERT *");
    }

    @Override
    public String beyondFirst(String partitionBy, String from) {
        return "SELECT soma_row.* FROM (\n  SELECT struct(*) AS soma_row, row_number() OVER (PARTITION BY " + partitionBy
                + " ORDER BY " + partitionBy + ") AS soma_occurrence\n  FROM " + from + "\n) WHERE soma_occurrence > 1";
    }

    @Override
    public String firstPerGroup(String query, String partitionBy, String orderBy) {
        return "SELECT soma_row.* FROM (\n  SELECT struct(*) AS soma_row, row_number() OVER (PARTITION BY " + partitionBy
                + " ORDER BY " + orderBy + ") AS soma_first\n  FROM (\n" + query + "\n  ) AS soma_query\n) WHERE soma_first = 1";
    }

    @Override
    public String sample(String relation, double percent) {
        return "SELECT * FROM " + relation + " TABLESAMPLE (" + percent + " PERCENT)";
    }

    /** Sums a 64-bit hash of each row as a DECIMAL: ANSI mode would fail a BIGINT sum that overflows. */
    @Override
    public String fingerprint(String query) {
        return "SELECT count(*) AS n, CAST(coalesce(sum(CAST(xxhash64(soma_row.*) AS DECIMAL(38, 0))), 0) AS STRING) AS h "
                + "FROM (\n" + query + "\n) AS soma_row";
    }

    private String keyMatch(List<String> keys, String left, String right) {
        StringJoiner match = new StringJoiner(" AND ");
        for (String key : keys) {
            String column = dialect.quote(key);
            match.add(left + "." + column + " = " + right + "." + column);
        }
        return match.toString();
    }

    // ---- write-audit-publish: Iceberg's audit branches (SparkAuditBranches) -------------------------

    @Override
    public Optional<AuditBranches> auditBranches() {
        return Optional.of(audits);
    }

    /** The audit copy of a table ({@code name__audit}) exists as a table while the table has its branch. */
    private RelationKind auditKind(Session session, String schema, String name) {
        return audits.exists(session, schema, AuditBranches.liveName(name)) ? RelationKind.TABLE : null;
    }

    private List<Column> auditColumns(Session session, String schema, String name) {
        if (auditKind(session, schema, name) == null) {
            return List.of();
        }
        return catalog.describe(session, dialect.relation(schema, name));
    }

    // ---- Parquet files ------------------------------------------------------------------------------

    /** {@code CREATE OR REPLACE TABLE … USING iceberg AS SELECT * FROM parquet.`uri`}: one Iceberg commit. */
    @Override
    public String loadParquet(String relation, String location) {
        String uri = location.startsWith("/") ? java.nio.file.Path.of(location).toUri().toString() : location;
        return createOrReplaceTable(relation, "SELECT * FROM parquet." + dialect.quote(uri));
    }
}
