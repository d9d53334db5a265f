package dev.soma.core.warehouse;

import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.engine.Column;
import dev.soma.core.engine.DeclaredTable;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.engine.RelationKind;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The DuckDB engine, Soma's default: an embedded database with multi-statement transactions, views,
 * {@code MERGE … BY NAME}, {@code QUALIFY} and {@code SELECT * EXCLUDE}. A table is built under a
 * temporary name and renamed in the caller's transaction. Stateless; one {@link #INSTANCE}.
 */
public final class DuckDbEngine implements Engine {

    /** The engine's name in a target's {@code engine:} key. */
    public static final String NAME = "duckdb";

    /** The one instance: the engine has no settings of its own. */
    public static final DuckDbEngine INSTANCE = new DuckDbEngine();

    private static final String TEMP_SUFFIX = "__soma_tmp";
    private static final SqlOwner CATALOG = SqlOwner.soma("catalog");

    private final Dialect dialect = new DuckDbDialect();

    private DuckDbEngine() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String displayName() {
        return "DuckDB";
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public boolean supportsTransactions() {
        return true;
    }

    @Override
    public boolean supportsViews() {
        return true;
    }

    @Override
    public boolean supportsConstraints() {
        return true;
    }

    @Override
    public boolean supportsReturning() {
        return true;
    }

    /** A DuckDB database file is written by one process at a time. */
    @Override
    public boolean oneWriterProcess() {
        return true;
    }

    @Override
    public String setting(String key, Object value) {
        String literal = value instanceof Number || value instanceof Boolean
                ? String.valueOf(value) : Identifiers.literal(String.valueOf(value));
        return "SET " + Identifiers.quote(key) + " = " + literal;
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema);
    }

    @Override
    public RelationKind relationKind(Session session, String schema, String name) {
        // duckdb_tables()/duckdb_views() answer several times faster than information_schema on a large catalog.
        // only this database's own catalog: one attached beside it (a deferred run's production) is not here
        String where = "database_name = current_database() AND schema_name = " + Identifiers.literal(schema) + " AND ";
        String sql = "SELECT 'table' FROM duckdb_tables() WHERE " + where + "table_name = " + Identifiers.literal(name)
                + " UNION ALL SELECT 'view' FROM duckdb_views() WHERE NOT internal AND " + where
                + "view_name = " + Identifiers.literal(name);
        return session.query(CATALOG, sql, rs -> rs.next() ? kind(rs.getString(1)) : null);
    }

    @Override
    public List<CatalogEntry> relations(Session session, Collection<String> schemas) {
        if (schemas.isEmpty()) {
            return List.of();
        }
        StringJoiner names = new StringJoiner(", ", "(", ")");
        schemas.forEach(schema -> names.add(Identifiers.literal(schema)));
        String sql = "SELECT schema_name, table_name, 'table' FROM duckdb_tables() WHERE database_name = current_database()"
                + " AND schema_name IN " + names + " UNION ALL SELECT schema_name, view_name, 'view' FROM duckdb_views()"
                + " WHERE NOT internal AND database_name = current_database() AND schema_name IN " + names;
        return session.queryList(CATALOG, sql, rs -> new CatalogEntry(rs.getString(1), rs.getString(2), kind(rs.getString(3))));
    }

    @Override
    public List<Column> columns(Session session, String schema, String name) {
        return session.queryList(CATALOG, "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_catalog = current_database() AND table_schema = "
                + Identifiers.literal(schema) + " AND table_name = " + Identifiers.literal(name)
                + " ORDER BY ordinal_position", rs -> new Column(rs.getString(1), rs.getString(2)));
    }

    @Override
    public String viewDefinition(Session session, String schema, String name) {
        return session.query(CATALOG, "SELECT sql FROM duckdb_views() WHERE database_name = current_database()"
                + " AND schema_name = " + Identifiers.literal(schema)
                + " AND view_name = " + Identifiers.literal(name), rs -> rs.next() ? rs.getString(1) : "");
    }

    /** Build under a temporary name, then drop the old relation and rename, all in the caller's transaction. */
    @Override
    public long replaceTable(Session tx, SqlOwner owner, String schema, String name, String query, RelationKind existing) {
        String temp = Identifiers.qualify(schema, name + TEMP_SUFFIX);
        tx.execute(owner, "DROP TABLE IF EXISTS " + temp);
        // DuckDB reports a CREATE TABLE AS's rows as its update count: no second scan to count them.
        long rows = tx.execute(owner, "CREATE TABLE " + temp + " AS\n" + query + "\n");
        swapIn(tx, owner, schema, name, existing);
        return rows;
    }

    /** Drops the relation being replaced (if any) and renames its temporary table into its place. */
    private void swapIn(Session tx, SqlOwner owner, String schema, String name, RelationKind existing) {
        String relation = Identifiers.qualify(schema, name);
        if (existing == RelationKind.VIEW) {
            tx.execute(owner, "DROP VIEW " + relation);
        } else if (existing == RelationKind.TABLE) {
            tx.execute(owner, "DROP TABLE " + relation);
        }
        tx.execute(owner, renameTable(schema, name + TEMP_SUFFIX, name));
    }

    /**
     * The declared table under a temporary name with every constraint DuckDB enforces (NOT NULL, PRIMARY
     * KEY, UNIQUE, CHECK), filled by an insert that casts to the declared types, then swapped in like
     * {@link #replaceTable}, in the caller's transaction.
     */
    @Override
    public long replaceDeclaredTable(Session tx, SqlOwner owner, String schema, String name, DeclaredTable table,
                                     String query, RelationKind existing) {
        String temp = Identifiers.qualify(schema, name + TEMP_SUFFIX);
        StringJoiner body = new StringJoiner(",\n  ", "(\n  ", "\n)");
        StringJoiner columns = new StringJoiner(", ");
        for (DeclaredTable.DeclaredColumn column : table.columns()) {
            body.add(Identifiers.quote(column.name()) + " " + dialect.typeName(column.type()) + (column.notNull() ? " NOT NULL" : ""));
            columns.add(Identifiers.quote(column.name()));
        }
        if (!table.primaryKey().isEmpty()) {
            body.add("PRIMARY KEY " + columnList(table.primaryKey()));
        }
        table.unique().forEach(unique -> body.add("UNIQUE " + columnList(unique)));
        table.checks().forEach(check -> body.add("CHECK (" + check + ")"));
        tx.execute(owner, "DROP TABLE IF EXISTS " + temp);
        tx.execute(owner, "CREATE TABLE " + temp + " " + body);
        long rows = tx.execute(owner, "INSERT INTO " + temp + " (" + columns + ")\nSELECT " + columns + " FROM (\n" + query
                + "\n) AS soma_contracted");
        swapIn(tx, owner, schema, name, existing);
        return rows;
    }

    private static String columnList(List<String> names) {
        StringJoiner list = new StringJoiner(", ", "(", ")");
        names.forEach(n -> list.add(Identifiers.quote(n)));
        return list.toString();
    }

    /** DuckDB plans the query and runs nothing. */
    @Override
    public List<Column> describeQuery(Session session, SqlOwner owner, String query) {
        return session.queryList(owner, "DESCRIBE (\n" + query + "\n)", rs -> new Column(rs.getString(1), rs.getString(2)));
    }

    @Override
    public void replaceView(Session tx, SqlOwner owner, String schema, String name, String query, RelationKind existing) {
        String relation = Identifiers.qualify(schema, name);
        if (existing == RelationKind.TABLE) {
            tx.execute(owner, "DROP TABLE " + relation);
        }
        tx.execute(owner, "CREATE OR REPLACE VIEW " + relation + " AS\n" + query + "\n");
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        return "ALTER TABLE " + Identifiers.qualify(schema, from) + " RENAME TO " + Identifiers.quote(to);
    }

    @Override
    public String readCsv(String path, Map<String, String> types) {
        StringBuilder reader = new StringBuilder("SELECT * FROM read_csv(")
                .append(Identifiers.literal(path))
                .append(", header = true, auto_detect = true");
        if (types != null && !types.isEmpty()) {
            StringJoiner struct = new StringJoiner(", ", "{", "}");
            types.forEach((column, type) -> struct.add(Identifiers.literal(column) + ": " + Identifiers.literal(type)));
            reader.append(", types = ").append(struct);
        }
        return reader.append(")").toString();
    }

    @Override
    public String insertByName(String target, String source) {
        return "INSERT INTO " + target + " BY NAME SELECT * FROM " + source;
    }

    @Override
    public List<String> replaceWhere(String target, String predicate, String source) {
        return List.of("DELETE FROM " + target + " WHERE " + predicate, insertByName(target, source));
    }

    @Override
    public String createStage(String name, String query) {
        return "CREATE OR REPLACE TEMP TABLE " + name + " AS\n" + query;
    }

    @Override
    public String insertMissing(String target, List<String> keys, List<String> columns, String source) {
        return "INSERT INTO " + target + " (" + String.join(", ", columns) + ")\n" + source + "\nON CONFLICT DO NOTHING";
    }

    @Override
    public String updateFrom(String target, String targetAlias, String source, String on, String assignments) {
        return "UPDATE " + target + " AS " + targetAlias + " SET " + assignments + " FROM " + source + " WHERE " + on;
    }

    @Override
    public String merge(List<String> keys, String target, String source) {
        return "MERGE INTO " + target + " AS soma_target\nUSING " + source + " AS soma_source\nON "
                + keyMatch(keys, "soma_target", "soma_source")
                + "\nWHEN MATCHED THEN UPDATE BY NAME\nWHEN NOT MATCHED THEN INSERT BY NAME";
    }

    @Override
    public List<String> deleteInsert(List<String> keys, String target, String batch) {
        return List.of(
                "DELETE FROM " + target + " AS soma_target USING " + batch + " AS soma_source WHERE "
                        + keyMatch(keys, "soma_target", "soma_source"),
                insertByName(target, batch));
    }

    /** {@code IS NOT DISTINCT FROM}, not {@code IN}: a NULL partition value is a partition, replaced like any other. */
    @Override
    public List<String> insertOverwrite(List<String> partitionBy, String target, String batch) {
        StringJoiner match = new StringJoiner(" AND ");
        partitionBy.forEach(c -> match.add("soma_target." + Identifiers.quote(c) + " IS NOT DISTINCT FROM soma_source."
                + Identifiers.quote(c)));
        return List.of(
                "DELETE FROM " + target + " AS soma_target WHERE EXISTS (SELECT 1 FROM " + batch + " AS soma_source WHERE "
                        + match + ")",
                insertByName(target, batch));
    }

    @Override
    public String beyondFirst(String partitionBy, String from) {
        return "SELECT * EXCLUDE (soma_occurrence) FROM (\n  SELECT *, row_number() OVER (PARTITION BY " + partitionBy
                + ") AS soma_occurrence\n  FROM " + from + "\n) WHERE soma_occurrence > 1";
    }

    @Override
    public String firstPerGroup(String query, String partitionBy, String orderBy) {
        return "SELECT * FROM (\n" + query + "\n) QUALIFY row_number() OVER (PARTITION BY " + partitionBy + " ORDER BY "
                + orderBy + ") = 1";
    }

    @Override
    public String sample(String relation, double percent) {
        return "SELECT * FROM " + relation + " USING SAMPLE " + percent + "%";
    }

    @Override
    public String fingerprint(String query) {
        return "SELECT count(*) AS n, coalesce(sum(hash(soma_row)), 0)::VARCHAR AS h FROM (\n" + query + "\n) AS soma_row";
    }

    /** {@code left.k1 = right.k1 AND …} over {@code keys}. */
    static String keyMatch(List<String> keys, String left, String right) {
        StringJoiner match = new StringJoiner(" AND ");
        for (String key : keys) {
            String column = Identifiers.quote(key);
            match.add(left + "." + column + " = " + right + "." + column);
        }
        return match.toString();
    }

    @Override
    public boolean comparesAcrossDatabases() {
        return true;
    }

    @Override
    public Optional<String> rowIdColumn() {
        return Optional.of("rowid");
    }

    @Override
    public String copyToParquet(String query, String file) {
        return "COPY (" + query + ") TO " + Identifiers.literal(file) + " (FORMAT parquet)";
    }

    @Override
    public String loadParquet(String relation, String location) {
        return createOrReplaceTable(relation, "SELECT * FROM read_parquet(" + Identifiers.literal(location) + ")");
    }

    private static RelationKind kind(String catalogWord) {
        return catalogWord.toLowerCase(Locale.ROOT).equals("view") ? RelationKind.VIEW : RelationKind.TABLE;
    }

    /** Double-quoted identifiers, two-part relations, DuckDB's spelling of the cross-engine macros. */
    private static final class DuckDbDialect implements Dialect {

        @Override
        public String quote(String identifier) {
            return Identifiers.quote(identifier);
        }

        @Override
        public String relation(String schema, String name) {
            return Identifiers.qualify(schema, name);
        }

        @Override
        public String datediff(String first, String second, String datepart) {
            return "date_diff(" + Identifiers.literal(datepart) + ", " + first + ", " + second + ")";
        }

        @Override
        public String regexpFullMatch(String value, String pattern) {
            return "regexp_full_match(" + value + ", " + pattern + ")";
        }

        @Override
        public String typeString() {
            return "VARCHAR";
        }

        @Override
        public String antiJoin() {
            return "ANTI JOIN";
        }

        /**
         * Epoch microseconds floored to the width from the origin, back to a timestamp: the same buckets as
         * {@code time_bucket(to_microseconds(width), timestamp, origin)}, at less than half its cost per row
         * (a windowed first build counts ten million rows with it).
         */
        @Override
        public String timeBucket(String timestamp, java.time.Duration width, String origin) {
            long micros = Dialect.bucketMicros(width);
            String since = "(epoch_us(" + timestamp + ") - epoch_us(" + origin + "))";
            // BIGINT % keeps the dividend's sign: ((since % w) + w) % w is the floor's remainder before the origin too.
            return "make_timestamp(epoch_us(" + origin + ") + " + since + " - ((" + since + " % " + micros + ") + "
                    + micros + ") % " + micros + ")";
        }

        /** Epoch microseconds since the origin, floored to the width (the remainder as in {@link #timeBucket}). */
        @Override
        public String bucketNumber(String timestamp, java.time.Duration width, String origin) {
            long micros = Dialect.bucketMicros(width);
            String since = "(epoch_us(" + timestamp + ") - epoch_us(" + origin + "))";
            return "((" + since + " - ((" + since + " % " + micros + ") + " + micros + ") % " + micros + ") // " + micros + ")";
        }

        /** {@code range(first, end, step)}: one bound step instead of a literal a timestamp. */
        @Override
        public String timestampSeries(String first, String end, java.time.Duration step, String alias, String column) {
            return "(SELECT unnest(" + range(first, end, step) + ") AS " + column + ") AS " + alias;
        }

        /** The series and a {@code BIGINT[]} of the numbers, unnested side by side (DuckDB unnests them in step). */
        @Override
        public String timestampSeries(String first, String end, java.time.Duration step, long[] numbers, String alias,
                                      String column, String numberColumn) {
            StringBuilder list = new StringBuilder(numbers.length * 8).append('[');
            for (int i = 0; i < numbers.length; i++) {
                list.append(i == 0 ? "" : ", ").append(numbers[i]);
            }
            return "(SELECT unnest(" + range(first, end, step) + ") AS " + column + ", unnest(" + list.append("]::BIGINT[]")
                    + ") AS " + numberColumn + ") AS " + alias;
        }

        private static String range(String first, String end, java.time.Duration step) {
            return "range(" + first + ", " + end + ", to_microseconds(" + Dialect.bucketMicros(step) + "))";
        }

        /** Not negative, so {@code //} (which truncates) is the floor. */
        @Override
        public String bucketNumberFromOrigin(String timestamp, java.time.Duration width, String origin) {
            return "((epoch_us(" + timestamp + ") - epoch_us(" + origin + ")) // " + Dialect.bucketMicros(width) + ")";
        }
    }
}
