package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.LoadStatus;
import dev.soma.ingest.RejectedRow;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables ingestion owns in {@code soma_meta}:
 * <ul>
 *   <li>{@code ingest_loads}: one row per load (source, status, times, counts, cursor from/to, error);</li>
 *   <li>{@code ingest_rejects}: every rejected row (load, file, line or record number, raw record, reasons);</li>
 *   <li>{@code ingest_files}: the files each CSV source last read (path, size, modification time, SHA-256, load),
 *       which a later load skips while they are unchanged;</li>
 *   <li>{@code ingest_cursors}: the committed cursor of each incremental source, in DuckDB's text
 *       ({@code cursor_value}) and as the source wrote it ({@code cursor_text}, what an API is sent back).</li>
 * </ul>
 * Times are UTC. Not thread-safe: use one per session.
 */
public final class LoadStore {

    public static final String SCHEMA = "soma_meta";
    static final SqlOwner OWNER = SqlOwner.soma("ingest store");

    private final Session session;

    public LoadStore(Session session) {
        this.session = session;
    }

    /** Creates the tables if missing. Safe inside or outside a transaction. */
    public void ensureTables() {
        session.execute(OWNER, """
                CREATE SCHEMA IF NOT EXISTS soma_meta;
                CREATE TABLE IF NOT EXISTS soma_meta.ingest_loads (
                    load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, kind VARCHAR, status VARCHAR NOT NULL,
                    started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,
                    rows_read BIGINT, rows_loaded BIGINT, rows_updated BIGINT, rows_rejected BIGINT,
                    rows_duplicate BIGINT, rows_skipped BIGINT, cursor_from VARCHAR, cursor_to VARCHAR, error VARCHAR);
                CREATE TABLE IF NOT EXISTS soma_meta.ingest_rejects (
                    load_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file VARCHAR, line BIGINT, record BIGINT,
                    raw_record VARCHAR, reasons VARCHAR[]);
                CREATE TABLE IF NOT EXISTS soma_meta.ingest_cursors (
                    source VARCHAR NOT NULL, cursor_value VARCHAR, load_id VARCHAR, updated_at TIMESTAMP);
                ALTER TABLE soma_meta.ingest_cursors ADD COLUMN IF NOT EXISTS cursor_text VARCHAR;
                ALTER TABLE soma_meta.ingest_loads ADD COLUMN IF NOT EXISTS files_skipped BIGINT;
                CREATE TABLE IF NOT EXISTS soma_meta.ingest_files (
                    source VARCHAR NOT NULL, path VARCHAR NOT NULL, size BIGINT NOT NULL, modified_at TIMESTAMP,
                    sha256 VARCHAR NOT NULL, load_id VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL);
                """);
    }

    private boolean exists() {
        return session.relationExists(SCHEMA, "ingest_loads");
    }

    /** The committed cursor of {@code source}, or null before its first load. */
    public String cursor(String source) {
        if (!session.relationExists(SCHEMA, "ingest_cursors")) {
            return null;
        }
        return session.query(OWNER, "SELECT cursor_value FROM soma_meta.ingest_cursors WHERE source = "
                + Identifiers.literal(source), rs -> rs.next() ? rs.getString(1) : null);
    }

    /**
     * The committed cursor of {@code source} as the source wrote it (an API's own format), or null before the first
     * load, for a source that is not sent its cursor, and for a cursor committed before this was kept.
     */
    public String cursorText(String source) {
        if (!session.relationExists(SCHEMA, "ingest_cursors") || !session.queryList(OWNER, "SELECT 1 FROM duckdb_columns() "
                + "WHERE schema_name = 'soma_meta' AND table_name = 'ingest_cursors' AND column_name = 'cursor_text'",
                rs -> 1).iterator().hasNext()) {
            return null;
        }
        return session.query(OWNER, "SELECT cursor_text FROM soma_meta.ingest_cursors WHERE source = "
                + Identifiers.literal(source), rs -> rs.next() ? rs.getString(1) : null);
    }

    /**
     * Replaces the cursor of {@code source}: {@code value} in DuckDB's text, {@code text} as the source wrote it (or
     * null); call inside the load's transaction.
     */
    void saveCursor(String source, String value, String text, String loadId, Instant at) {
        session.execute(OWNER, "DELETE FROM soma_meta.ingest_cursors WHERE source = " + Identifiers.literal(source));
        session.execute(OWNER, "INSERT INTO soma_meta.ingest_cursors (source, cursor_value, load_id, updated_at, cursor_text) "
                + "VALUES (" + Identifiers.literal(source) + ", " + literalOrNull(value) + ", " + Identifiers.literal(loadId)
                + ", " + timestamp(at) + ", " + literalOrNull(text) + ")");
    }

    /** The files each loaded last, by absolute path, for {@code source}; empty before its first load of files. */
    public Map<String, LoadedFile> files(String source) {
        Map<String, LoadedFile> files = new HashMap<>();
        if (!session.relationExists(SCHEMA, "ingest_files")) {
            return files;
        }
        session.queryList(OWNER, "SELECT path, size, modified_at, sha256 FROM soma_meta.ingest_files WHERE source = "
                + Identifiers.literal(source), rs -> files.put(rs.getString(1), new LoadedFile(rs.getString(1), rs.getLong(2),
                rs.getTimestamp(3) == null ? null : instant(rs.getTimestamp(3)), rs.getString(4))));
        return files;
    }

    /** Remembers the files a load of {@code source} read, replacing what was kept for the same paths; in its transaction. */
    void saveFiles(String source, List<LoadedFile> files, String loadId, Instant at) {
        for (LoadedFile file : files) {
            session.execute(OWNER, "DELETE FROM soma_meta.ingest_files WHERE source = " + Identifiers.literal(source)
                    + " AND path = " + Identifiers.literal(file.path()));
            session.execute(OWNER, "INSERT INTO soma_meta.ingest_files VALUES (" + String.join(", ", Identifiers.literal(source),
                    Identifiers.literal(file.path()), Long.toString(file.size()),
                    file.modified() == null ? "NULL" : timestamp(file.modified()), Identifiers.literal(file.sha256()),
                    Identifiers.literal(loadId), timestamp(at)) + ")");
        }
    }

    /** Adds the load record. */
    void record(LoadResult r, String kind) {
        session.execute(OWNER, "INSERT INTO soma_meta.ingest_loads (load_id, source, kind, status, started_at, finished_at, "
                + "rows_read, rows_loaded, rows_updated, rows_rejected, rows_duplicate, rows_skipped, cursor_from, cursor_to, "
                + "error, files_skipped) VALUES (" + String.join(", ",
                Identifiers.literal(r.loadId()), Identifiers.literal(r.source()), literalOrNull(kind),
                Identifiers.literal(r.status().name().toLowerCase(java.util.Locale.ROOT)), timestamp(r.started()),
                timestamp(r.finished()), Long.toString(r.rowsRead()), Long.toString(r.rowsLoaded()),
                Long.toString(r.rowsUpdated()), Long.toString(r.rowsRejected()), Long.toString(r.rowsDuplicate()),
                Long.toString(r.rowsSkipped()), literalOrNull(r.cursorFrom()), literalOrNull(r.cursorTo()),
                literalOrNull(r.error()), Long.toString(r.filesSkipped())) + ")");
    }

    /** The loads of {@code source} (all sources when null), newest first, at most {@code limit}. */
    public List<LoadResult> loads(String source, int limit) {
        if (!exists()) {
            return List.of();
        }
        String where = source == null ? "" : " WHERE source = " + Identifiers.literal(source);
        return session.queryList(OWNER, "SELECT * FROM soma_meta.ingest_loads" + where
                + " ORDER BY started_at DESC, finished_at DESC LIMIT " + limit, LoadStore::load);
    }

    /** The rejected rows of load {@code loadId}, in file order, at most {@code limit}. */
    public List<RejectedRow> rejects(String loadId, int limit) {
        if (!exists()) {
            return List.of();
        }
        return session.queryList(OWNER, "SELECT load_id, source, file, line, record, raw_record, reasons "
                + "FROM soma_meta.ingest_rejects WHERE load_id = " + Identifiers.literal(loadId)
                + " ORDER BY file NULLS FIRST, record NULLS LAST, line LIMIT " + limit, rs -> {
                    Array array = rs.getArray(7);
                    List<String> reasons = new ArrayList<>();
                    if (array != null) {
                        for (Object o : (Object[]) array.getArray()) {
                            reasons.add(String.valueOf(o));
                        }
                    }
                    return new RejectedRow(rs.getString(1), rs.getString(2), rs.getString(3), longOrNull(rs, 4),
                            longOrNull(rs, 5), rs.getString(6), reasons);
                });
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static LoadResult load(ResultSet rs) throws SQLException {
        return new LoadResult(rs.getString("load_id"), rs.getString("source"),
                LoadStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                rs.getLong("rows_read"), rs.getLong("rows_loaded"), rs.getLong("rows_updated"),
                rs.getLong("rows_rejected"), rs.getLong("rows_duplicate"), rs.getLong("rows_skipped"),
                filesSkipped(rs), rs.getString("cursor_from"), rs.getString("cursor_to"), rs.getString("error"));
    }

    /** 0 in a database whose loads were recorded before files were skipped. */
    private static long filesSkipped(ResultSet rs) throws SQLException {
        try {
            return rs.getLong(rs.findColumn("files_skipped"));
        } catch (SQLException noSuchColumn) {
            return 0;
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    static String timestamp(Instant at) {
        return "TIMESTAMP " + Identifiers.literal(at.atOffset(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' '));
    }

    static String literalOrNull(String value) {
        return value == null ? "NULL" : Identifiers.literal(value);
    }
}
