package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;

import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/**
 * The first load into a table that does not exist yet, without copying its rows twice: the checked rows go straight
 * from the reader into a hidden table of the target's schema ({@code _soma_loading_<table>_<tag>}), which the load's
 * transaction then turns into the target: the rejects are written from it, the columns only the checks need
 * ({@code _file}, {@code _raw}, {@code _reasons}) are dropped, the table renamed, and the rows that are not loaded
 * (rejected, before the cursor, a later duplicate of a key) deleted by row id. Dropping columns and renaming are
 * catalog changes in DuckDB, not copies, so the rows are written once, as by a bare {@code CREATE TABLE AS}.
 *
 * <p>Rows a reader already typed (a CSV file) are staged with a flag, {@code _rejected}, instead of their reasons and
 * raw record ({@link Validation#flaggedQuery}): a rejected row keeps its values as read, so its reasons are spelled out
 * afterwards for the rejected rows alone ({@link #rejectedRows}). Two mostly empty text columns over every row cost
 * more to write than the rules cost to evaluate again for the few rows that broke one.
 *
 * <p>Kill-safety: the hidden table is committed before the load's transaction starts (DuckDB writes a large insert
 * straight to the file, but deleting from rows inserted in the same transaction makes it write them again at commit).
 * The target appears only when the load's transaction commits, with its rejects, cursor and load record. A load killed
 * before then leaves at most the hidden table, which the next load of the same table drops ({@link #dropLeftovers});
 * a load that fails drops it at once.
 *
 * <p>Only for append and replace loads into a missing table: an existing table gets its rows copied from a staged temp
 * table, and a merge needs the last record of each key.
 */
final class StageTable {

    private static final String PREFIX = "_soma_loading_";

    private final SourceSpec spec;
    private final String name;
    private final SqlOwner owner;
    private final String tag;
    private final boolean flagged;
    private final boolean withFile;

    private StageTable(SourceSpec spec, String tag, boolean flagged, boolean withFile) {
        this.spec = spec;
        this.tag = tag;
        this.name = PREFIX + spec.table() + "_" + tag;
        this.owner = SqlOwner.loader(spec.name());
        this.flagged = flagged;
        this.withFile = withFile;
    }

    /** Whether a load of {@code spec} can stage in place: an append or a replace into a table that does not exist. */
    static boolean applies(Session session, SourceSpec spec) {
        return spec.mode() != WriteMode.MERGE && !session.relationExists(spec.schema(), spec.table());
    }

    /**
     * Creates the hidden table (after dropping any a killed load left): the declared columns in their types, then
     * {@code _load_id} and {@code _loaded_at} defaulting to this load's, then the check columns, so that every row added
     * to it, the rechecked ones too, carries the load's stamp. With {@code flagged} (rows a reader already typed) the
     * check columns are those of {@link Validation#flaggedQuery} ({@code _file}, {@code _rejected} defaulting to false),
     * else those of {@link Validation#checkedQuery} (in its order). A flagged table of {@code oneFile} has no
     * {@code _file}: it would be NULL in every row (the file is known), and even a column of NULLs costs about a second
     * to write at 10M rows.
     */
    static StageTable create(Session session, SourceSpec spec, String tag, String loadId, Instant loadedAt, boolean flagged,
                             boolean oneFile) {
        boolean flags = flagged && !Validation.keepsCursorText(spec);
        StageTable stage = new StageTable(spec, tag, flags, !(flags && oneFile));
        dropLeftovers(session, spec);
        session.createSchema(spec.schema());
        StringJoiner ddl = new StringJoiner(", ");
        for (ColumnSpec column : spec.columns()) {
            ddl.add(Validation.q(column.name()) + " " + Loader.storedType(column));
        }
        ddl.add("_load_id VARCHAR DEFAULT " + Identifiers.literal(loadId));
        ddl.add("_loaded_at TIMESTAMP DEFAULT " + LoadStore.timestamp(loadedAt));
        for (String column : stage.checkColumns()) {
            ddl.add(column.equals(Validation.REJECTED_FLAG) ? column + " BOOLEAN DEFAULT false" : column + " VARCHAR");
        }
        session.execute(stage.owner, "CREATE TABLE " + stage.quoted() + " (" + ddl + ")");
        return stage;
    }

    /** The columns of the checked rows that the target does not keep. */
    private List<String> checkColumns() {
        if (flagged) {
            return withFile ? List.of("_file", Validation.REJECTED_FLAG) : List.of(Validation.REJECTED_FLAG);
        }
        return Validation.keepsCursorText(spec) ? List.of("_file", "_raw", "_reasons", Validation.CURSOR_TEXT)
                : List.of("_file", "_raw", "_reasons");
    }

    /** The condition a rejected row of this table meets. */
    String rejected() {
        return flagged ? Validation.REJECTED_FLAG : Rejects.REJECTED;
    }

    /** The condition a row of this table that broke no rule meets. */
    String accepted() {
        return flagged ? "NOT " + Validation.REJECTED_FLAG : Rejects.ACCEPTED;
    }

    /**
     * Inserts the checked rows of {@code relation} (a source's staged records, {@code typed} by its reader or not);
     * returns how many.
     */
    long fill(Session session, String relation, boolean typed) {
        StringJoiner columns = new StringJoiner(", ");
        spec.columns().forEach(c -> columns.add(Validation.q(c.name())));
        checkColumns().forEach(columns::add);
        String query = !flagged ? Validation.checkedQuery(spec, relation, typed)
                : withFile ? Validation.flaggedQuery(spec, relation)
                : "SELECT * EXCLUDE (_file) FROM (" + Validation.flaggedQuery(spec, relation) + ")";
        return session.execute(owner, "INSERT INTO " + quoted() + " (" + columns + ") " + query);
    }

    /**
     * The rejected rows as a relation of {@code r} (the row id here), {@code _file}, {@code _raw} and {@code _reasons}.
     * A flagged table keeps no reasons: they are spelled out now, by the same rules over its rejected rows alone, into
     * the temp table {@code soma_rejected_<tag>} ({@link #dropRejected} drops it).
     */
    String rejectedRows(Session session) {
        if (!flagged) {
            return Rejects.rejectedRows(quoted());
        }
        StringJoiner columns = new StringJoiner(", ");
        spec.columns().forEach(c -> columns.add(Validation.q(c.name())));
        String table = rejectedTable();
        session.execute(owner, "CREATE TEMP TABLE " + table + " AS SELECT r, _file, _raw, _reasons FROM ("
                + Validation.checkedQuery(spec, "(SELECT " + columns + ", " + (withFile ? "_file" : "NULL::VARCHAR AS _file")
                + ", NULL::VARCHAR AS _raw, rowid AS r FROM " + quoted()
                + " WHERE " + Validation.REJECTED_FLAG + ")", true, List.of("r")) + ")");
        return table;
    }

    /** Drops the table of {@link #rejectedRows}, if there is one. */
    void dropRejected(Session session) {
        if (flagged) {
            session.execute(owner, "DROP TABLE IF EXISTS " + rejectedTable());
        }
    }

    private String rejectedTable() {
        return Identifiers.quote("soma_rejected_" + tag);
    }

    /** Drops the hidden tables of loads of this table that were killed before they committed. */
    static void dropLeftovers(Session session, SourceSpec spec) {
        SqlOwner owner = SqlOwner.loader(spec.name());
        List<String> left = session.queryList(owner, "SELECT table_name FROM duckdb_tables() WHERE schema_name = "
                + Identifiers.literal(spec.schema()) + " AND starts_with(table_name, "
                + Identifiers.literal(PREFIX + spec.table() + "_") + ")", rs -> rs.getString(1));
        for (String table : left) {
            session.execute(owner, "DROP TABLE IF EXISTS " + Identifiers.qualify(spec.schema(), table));
        }
    }

    /** The hidden table, qualified and quoted. */
    String quoted() {
        return Identifiers.qualify(spec.schema(), name);
    }

    /**
     * Turns the hidden table into the target, on the load's transaction: drops the check columns and the defaults,
     * renames it, then deletes the rows listed in {@code notLoaded} (a table of row ids in column {@code r}), if any.
     * In DuckDB the deletes must come after the schema changes in one transaction.
     */
    void becomeTarget(Session tx, String notLoaded, boolean anyNotLoaded) {
        for (String column : checkColumns()) {
            tx.execute(owner, "ALTER TABLE " + quoted() + " DROP COLUMN " + column);
        }
        tx.execute(owner, "ALTER TABLE " + quoted() + " ALTER COLUMN _load_id DROP DEFAULT");
        tx.execute(owner, "ALTER TABLE " + quoted() + " ALTER COLUMN _loaded_at DROP DEFAULT");
        tx.execute(owner, "ALTER TABLE " + quoted() + " RENAME TO " + Identifiers.quote(spec.table()));
        if (anyNotLoaded) {
            tx.execute(owner, "DELETE FROM " + Identifiers.qualify(spec.schema(), spec.table()) + " WHERE rowid IN (SELECT r FROM "
                    + notLoaded + ")");
        }
    }

    /** Drops the hidden table if it is still there (the load failed before its transaction committed). */
    void dropIfLeft(Session session) {
        session.execute(owner, "DROP TABLE IF EXISTS " + quoted());
    }
}
