package dev.soma.ingest.internal.load;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.runstore.TableReplacements;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.IngestException;
import dev.soma.ingest.IngestListener;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.LoadStatus;
import dev.soma.ingest.internal.source.Source;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs one load: stage the records (outside any transaction, in temp tables private to the load's
 * connection), check them with {@link Validation}, then in <b>one</b> transaction write the accepted
 * rows, the {@link Rejects rejects}, the new cursor and the load record (and, in replace mode, the
 * {@linkplain TableReplacements replacement} of the table). A load killed at any point before the commit
 * leaves nothing: temp tables die with the connection, and the transaction never committed.
 *
 * <p>A load that fails after its declaration was found sound (the API kept failing, the data broke a
 * statement) is recorded as {@code failed} in its own small transaction and returned; a mistake in the
 * declaration itself (an unknown column, a missing file) is thrown.
 */
public final class Loader {

    private static final Logger LOG = LoggerFactory.getLogger(Loader.class);
    /** Who replaced a table, in {@code soma_meta.table_replacements}. */
    static final String REPLACED_BY = "soma ingest";
    private static final Set<ErrorCode> DECLARATION_ERRORS = Set.of(ErrorCode.PROJECT_INVALID, ErrorCode.INVALID_CONFIG);

    private final Warehouse warehouse;
    private final Path projectDir;
    private final Function<String, String> env;
    private final Clock clock;
    private final IngestListener listener;

    public Loader(Warehouse warehouse, Path projectDir, Function<String, String> env, Clock clock, IngestListener listener) {
        this.warehouse = warehouse;
        this.projectDir = projectDir;
        this.env = env;
        this.clock = clock;
        this.listener = listener;
    }

    /** Loads {@code spec} with {@code source}. */
    public LoadResult load(SourceSpec spec, Source source) {
        String loadId = UUID.randomUUID().toString();
        String tag = loadId.substring(0, 8);
        Instant started = clock.instant();
        listener.loadStarted(spec);
        SqlOwner owner = SqlOwner.loader(spec.name());
        String cursorFrom = null;
        try (Session session = warehouse.openSession()) {
            LoadStore store = new LoadStore(session);
            try {
                checkTypes(session, spec);
                String stored = spec.cursor() == null ? null : store.cursor(spec.name());
                cursorFrom = spec.cursor() == null ? null : firstNonNull(stored, spec.cursor().initial());
                String cursorSent = spec.cursor() == null ? null
                        : CursorText.toSend(stored, store.cursorText(spec.name()), spec.cursor().initial());
                listener.phase(spec, IngestListener.Phase.READING);
                Source.Staged staged = source.stage(new Source.Context(spec, session, projectDir, env, cursorFrom, cursorSent,
                        tag, listener));
                listener.phase(spec, IngestListener.Phase.VALIDATING);
                if (StageTable.applies(session, spec)) {
                    return loadInPlace(session, store, spec, staged, loadId, tag, started, cursorFrom, cursorSent, owner);
                }
                String checked = "soma_checked_" + tag;
                session.execute(owner, "CREATE TEMP TABLE " + Identifiers.quote(checked) + " AS "
                        + Validation.checkedQuery(spec, staged.relation(), staged.typed()));
                if (staged.recheck() != null) {
                    staged = staged.withReaderRejects(staged.recheck().readerRejects(session, Identifiers.quote(checked)));
                }
                Counts counts = count(session, owner, spec, checked, staged, cursorFrom);
                String from = cursorFrom;
                Source.Staged read = staged;
                read.files();   // the files' hashes, awaited before the transaction rather than inside it
                LoadResult result = session.inTransaction(owner, tx -> {
                    listener.phase(spec, IngestListener.Phase.WRITING);
                    return write(tx, store, spec, loadId, started, checked, read, counts, from, cursorSent, owner);
                });
                listener.phase(spec, IngestListener.Phase.COMMITTED);
                listener.loadFinished(result);
                return result;
            } catch (SomaException e) {
                if (DECLARATION_ERRORS.contains(e.code())) {
                    throw e;
                }
                return failed(store, spec, loadId, started, cursorFrom, e);
            } catch (RuntimeException e) {
                return failed(store, spec, loadId, started, cursorFrom, e);
            }
        }
    }

    /**
     * A load into a table that does not exist yet: the checked rows are written once, into a {@link StageTable} that
     * the transaction turns into the target. Counts come from the insert's own count and the small table of the rows
     * left out, not from a scan that counts.
     */
    private LoadResult loadInPlace(Session session, LoadStore store, SourceSpec spec, Source.Staged staged, String loadId,
                                   String tag, Instant started, String cursorFrom, String cursorSent, SqlOwner owner) {
        Instant loadedAt = clock.instant();
        StageTable stage = StageTable.create(session, spec, tag, loadId, loadedAt, staged.typed(), staged.onlyFile() != null);
        RowsLeftOut leftOut = null;
        try {
            stage.fill(session, staged.relation(), staged.typed());
            String checked = stage.quoted();
            if (staged.recheck() != null) {
                staged = staged.withReaderRejects(staged.recheck().readerRejects(session, checked));
            }
            String badRows = stage.rejectedRows(session);
            String inRange = inRange(spec, cursorFrom);
            leftOut = RowsLeftOut.find(session, owner, spec, stage, inRange, tag);
            long parsed = session.queryLong(owner, "SELECT count(*) FROM " + checked);
            String[] cursor = spec.cursor() == null ? new String[2]
                    : maxCursor(session, owner, spec, checked, stage.accepted() + " AND " + inRange);
            long readerRejects = Rejects.countFromReader(session, owner, staged);
            Counts counts = new Counts(parsed, leftOut.rejected(), readerRejects, leftOut.skipped(),
                    parsed - leftOut.rejected() - leftOut.skipped(), cursor[0], 0, cursor[1]);
            Source.Staged read = staged;
            RowsLeftOut out = leftOut;
            read.files();   // the files' hashes, awaited before the transaction rather than inside it
            LoadResult result = session.inTransaction(owner, tx -> {
                listener.phase(spec, IngestListener.Phase.WRITING);
                store.ensureTables();
                // Written first: the rejects are read from the check columns, which the target does not keep.
                String lit = Identifiers.literal(loadId) + ", " + Identifiers.literal(spec.name());
                Rejects.write(tx, owner, lit, checked, badRows, read, counts.invalid(), counts.readerRejects());
                stage.becomeTarget(tx, out.table(), out.total() > 0);
                if (spec.mode() == WriteMode.REPLACE) {
                    TableReplacements.recordReplaced(tx, spec.schema(), spec.table(), REPLACED_BY);
                }
                long inserted = counts.candidates() - out.duplicates();
                return finish(store, spec, loadId, started, loadedAt, read, counts, inserted, 0, out.duplicates(),
                        cursorFrom, cursorSent);
            });
            listener.phase(spec, IngestListener.Phase.COMMITTED);
            listener.loadFinished(result);
            return result;
        } finally {
            try {
                if (leftOut != null) {
                    leftOut.drop(session, owner);
                }
                stage.dropRejected(session);
                stage.dropIfLeft(session);
            } catch (RuntimeException e) {
                // The load's own outcome matters more; a hidden table left here is dropped by the next load.
                LOG.warn("could not clean up after the load of {}: {}", spec.name(), e.getMessage());
            }
        }
    }

    /** The greatest cursor among the candidates, in DuckDB's text and (for a source sent its cursor) as written. */
    private static String[] maxCursor(Session session, SqlOwner owner, SourceSpec spec, String checked, String candidate) {
        String field = Validation.q(spec.cursor().field());
        String text = !Validation.keepsCursorText(spec) ? "NULL"
                : "arg_max(" + Validation.CURSOR_TEXT + ", " + field + ") FILTER (WHERE " + candidate + ")";
        return session.query(owner, "SELECT max(" + field + ") FILTER (WHERE " + candidate + ")::VARCHAR, " + text + " FROM "
                + checked, rs -> {
                    rs.next();
                    return new String[]{rs.getString(1), rs.getString(2)};
                });
    }

    private LoadResult failed(LoadStore store, SourceSpec spec, String loadId, Instant started, String cursorFrom,
                              RuntimeException e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.debug("load of {} failed", spec.name(), e);
        LoadResult result = new LoadResult(loadId, spec.name(), LoadStatus.FAILED, started, clock.instant(),
                0, 0, 0, 0, 0, 0, 0, cursorFrom, cursorFrom, error);
        try {
            store.ensureTables();
            store.record(result, spec.kind().kindName());
        } catch (RuntimeException recordFailure) {
            LOG.warn("could not record the failed load of {}: {}", spec.name(), recordFailure.getMessage());
        }
        listener.loadFinished(result);
        return result;
    }

    /** What the checked rows hold, counted in one scan before the transaction. */
    private record Counts(long parsed, long invalid, long readerRejects, long skipped, long candidates, String maxCursor,
                          long distinctKeys, String maxCursorText) {

        boolean keysRepeat() {
            return distinctKeys < candidates;
        }
    }

    private static Counts count(Session session, SqlOwner owner, SourceSpec spec, String checked, Source.Staged staged,
                                String cursorFrom) {
        String inRange = inRange(spec, cursorFrom);
        String maxCursor = spec.cursor() == null ? "NULL"
                : "max(" + Validation.q(spec.cursor().field()) + ") FILTER (WHERE " + Rejects.ACCEPTED + " AND " + inRange + ")::VARCHAR";
        // The text of the greatest cursor as the source wrote it, sent back to it next time.
        String maxCursorText = !Validation.keepsCursorText(spec) ? "NULL" : "arg_max(" + Validation.CURSOR_TEXT + ", "
                + Validation.q(spec.cursor().field()) + ") FILTER (WHERE " + Rejects.ACCEPTED + " AND " + inRange + ")";
        // Distinct keys among the candidates: when every key is distinct (the usual case) the write needs no
        // window to keep the first of each key, which at 10M rows is most of its cost. A bitmap proves it for most
        // integer keys (DistinctKeys); other keys are counted.
        String distinctKeys = spec.key().isEmpty() ? "0"
                : DistinctKeys.proven(session, owner, spec, Identifiers.quote(checked), Rejects.ACCEPTED + " AND " + inRange)
                ? "count(*) FILTER (WHERE " + Rejects.ACCEPTED + " AND " + inRange + ")" : !spec.keyFallback().isEmpty()
                ? "count(DISTINCT " + Validation.identity(spec, "") + ") FILTER (WHERE " + Rejects.ACCEPTED + " AND " + inRange + ")"
                : "count(DISTINCT " + (spec.key().size() == 1
                ? Validation.q(spec.key().get(0)) : "(" + String.join(", ", spec.key().stream().map(Validation::q).toList()) + ")")
                + ") FILTER (WHERE " + Rejects.ACCEPTED + " AND " + inRange + ")";
        Object[] row = session.query(owner, "SELECT count(*), count(*) FILTER (WHERE " + Rejects.REJECTED + "), "
                + "count(*) FILTER (WHERE " + Rejects.ACCEPTED + " AND NOT (" + inRange + ")), "
                + "count(*) FILTER (WHERE " + Rejects.ACCEPTED + " AND " + inRange + "), " + maxCursor + ", " + distinctKeys
                + ", " + maxCursorText + " FROM " + Identifiers.quote(checked), rs -> {
                    rs.next();
                    return new Object[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getLong(6), rs.getString(7)};
                });
        long readerRejects = Rejects.countFromReader(session, owner, staged);
        return new Counts((Long) row[0], (Long) row[1], readerRejects, (Long) row[2], (Long) row[3], (String) row[4],
                (Long) row[5], (String) row[6]);
    }

    /** The cursor's closed start: rows at or after it; TRUE without a cursor. */
    private static String inRange(SourceSpec spec, String cursorFrom) {
        if (spec.cursor() == null || cursorFrom == null) {
            return "TRUE";
        }
        ColumnSpec column = spec.column(spec.cursor().field()).orElseThrow();
        String type = Validation.isText(column) || column.isbn() ? "VARCHAR" : column.type();
        return Validation.q(column.name()) + " >= CAST(" + Identifiers.literal(cursorFrom) + " AS " + type + ")";
    }

    private LoadResult write(Session tx, LoadStore store, SourceSpec spec, String loadId, Instant started, String checked,
                             Source.Staged staged, Counts counts, String cursorFrom, String cursorSent, SqlOwner owner) {
        store.ensureTables();
        Instant loadedAt = clock.instant();
        String target = Identifiers.qualify(spec.schema(), spec.table());
        tx.createSchema(spec.schema());
        StringJoiner ddl = new StringJoiner(", ");
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner prefixed = new StringJoiner(", ");
        for (ColumnSpec column : spec.columns()) {
            ddl.add(Validation.q(column.name()) + " " + storedType(column));
            columns.add(Validation.q(column.name()));
            prefixed.add("c." + Validation.q(column.name()));
        }
        tx.execute(owner, "CREATE TABLE IF NOT EXISTS " + target + " (" + ddl + ", _load_id VARCHAR, _loaded_at TIMESTAMP)");
        checkTarget(tx, spec);
        String stamp = Identifiers.literal(loadId) + ", " + LoadStore.timestamp(loadedAt);
        String src = Identifiers.quote(checked);
        String candidates = Rejects.ACCEPTED + " AND " + inRange(spec, cursorFrom);
        String keyMatch = keyMatch(spec, "r", "c");
        String partition = !spec.keyFallback().isEmpty() ? Validation.identity(spec, "c.")
                : spec.key().stream().map(k -> "c." + Validation.q(k)).reduce((a, b) -> a + ", " + b).orElse(null);
        long inserted;
        long updated = 0;
        long duplicates;
        switch (spec.mode()) {
            case APPEND, REPLACE -> {
                if (spec.mode() == WriteMode.REPLACE) {
                    tx.execute(owner, "DELETE FROM " + target);
                    // A new snapshot, not more rows: incremental models over it must rebuild in full. Recorded in this
                    // transaction, so a load that fails records no replacement.
                    TableReplacements.recordReplaced(tx, spec.schema(), spec.table(), REPLACED_BY);
                }
                boolean loadedBefore = spec.mode() == WriteMode.APPEND && partition != null
                        && tx.queryLong(owner, "SELECT count(*) FROM (SELECT 1 FROM " + target + " LIMIT 1)") > 0;
                String notLoaded = loadedBefore
                        ? " AND NOT EXISTS (SELECT 1 FROM " + target + " r WHERE " + keyMatch + ")" : "";
                String firstOfKey = partition == null || !counts.keysRepeat() ? ""
                        : " QUALIFY row_number() OVER (PARTITION BY " + partition + " ORDER BY c.rowid) = 1";
                inserted = tx.execute(owner, "INSERT INTO " + target + " (" + columns + ", _load_id, _loaded_at) SELECT "
                        + prefixed + ", " + stamp + " FROM " + src + " c WHERE " + candidates + notLoaded + firstOfKey);
                duplicates = counts.candidates() - inserted;
            }
            case MERGE -> {
                String incoming = Identifiers.quote("soma_incoming_" + loadId.substring(0, 8));
                // The last record of a key wins: a feed lists a record's newer version after its older one.
                tx.execute(owner, "CREATE TEMP TABLE " + incoming + " AS SELECT " + prefixed + " FROM " + src + " c WHERE "
                        + candidates + " QUALIFY row_number() OVER (PARTITION BY " + partition + " ORDER BY c.rowid DESC) = 1");
                StringJoiner same = new StringJoiner(" AND ");
                for (ColumnSpec column : spec.columns()) {
                    same.add("r." + Validation.q(column.name()) + " IS NOT DISTINCT FROM c." + Validation.q(column.name()));
                }
                tx.execute(owner, "DELETE FROM " + incoming + " c WHERE EXISTS (SELECT 1 FROM " + target + " r WHERE " + same + ")");
                updated = tx.execute(owner, "DELETE FROM " + target + " r WHERE EXISTS (SELECT 1 FROM " + incoming + " c WHERE "
                        + keyMatch + ")");
                long written = tx.execute(owner, "INSERT INTO " + target + " (" + columns + ", _load_id, _loaded_at) SELECT "
                        + prefixed + ", " + stamp + " FROM " + incoming + " c");
                tx.execute(owner, "DROP TABLE " + incoming);
                inserted = written - updated;
                duplicates = counts.candidates() - written;
            }
            default -> throw new IllegalStateException(spec.mode().toString());
        }
        String lit = Identifiers.literal(loadId) + ", " + Identifiers.literal(spec.name());
        Rejects.write(tx, owner, lit, src, staged, counts.invalid(), counts.readerRejects());
        return finish(store, spec, loadId, started, loadedAt, staged, counts, inserted, updated, duplicates, cursorFrom,
                cursorSent);
    }

    /** The end of a load's transaction: the cursor, the files read and the load record. */
    private LoadResult finish(LoadStore store, SourceSpec spec, String loadId, Instant started, Instant loadedAt,
                              Source.Staged staged, Counts counts, long inserted, long updated, long duplicates,
                              String cursorFrom, String cursorSent) {
        String cursorTo = cursorFrom;
        if (spec.cursor() != null) {
            cursorTo = counts.maxCursor() != null ? counts.maxCursor() : cursorFrom;
            String cursorText = !Validation.keepsCursorText(spec) ? null
                    : counts.maxCursor() != null ? counts.maxCursorText() : cursorSent;
            store.saveCursor(spec.name(), cursorTo, cursorText, loadId, loadedAt);
        }
        LoadResult result = new LoadResult(loadId, spec.name(), LoadStatus.SUCCEEDED, started, clock.instant(),
                counts.parsed() + counts.readerRejects(), inserted, updated, counts.invalid() + counts.readerRejects(),
                duplicates, counts.skipped(), staged.filesSkipped(), cursorFrom, cursorTo, null);
        store.saveFiles(spec.name(), staged.files(), loadId, loadedAt);
        store.record(result, spec.kind().kindName());
        return result;
    }

    /** The type a column is stored in: an ISBN as its ISBN-13 text, any other as declared. */
    static String storedType(ColumnSpec column) {
        return column.isbn() ? "VARCHAR" : column.type();
    }

    private static String keyMatch(SourceSpec spec, String left, String right) {
        if (!spec.keyFallback().isEmpty()) {
            return Validation.identity(spec, left + ".") + " = " + Validation.identity(spec, right + ".");
        }
        List<String> parts = new ArrayList<>();
        for (String k : spec.key()) {
            parts.add(left + "." + Validation.q(k) + " = " + right + "." + Validation.q(k));
        }
        return String.join(" AND ", parts);
    }

    /** A table of that name made by someone else (the generator, a person) is not silently appended to. */
    private static void checkTarget(Session tx, SourceSpec spec) {
        List<String> existing = tx.queryList(SqlOwner.loader(spec.name()), "SELECT lower(column_name) FROM duckdb_columns() "
                + "WHERE schema_name = " + Identifiers.literal(spec.schema()) + " AND table_name = "
                + Identifiers.literal(spec.table()), rs -> rs.getString(1));
        List<String> missing = new ArrayList<>();
        for (ColumnSpec column : spec.columns()) {
            if (!existing.contains(column.name().toLowerCase(Locale.ROOT))) {
                missing.add(column.name());
            }
        }
        if (!existing.contains("_load_id")) {
            missing.add("_load_id");
        }
        if (!missing.isEmpty()) {
            throw new IngestException(ErrorCode.PROJECT_INVALID, spec.location(), spec.name(),
                    "table " + spec.schema() + "." + spec.table() + " exists without column(s) " + String.join(", ", missing)
                            + " (it was not created by this ingest: block, or the columns changed); load into another "
                            + "table with identifier:, or drop the table and load again");
        }
    }

    /** A declared type DuckDB does not know fails here, naming the column, before anything is read. */
    private static void checkTypes(Session session, SourceSpec spec) {
        for (ColumnSpec column : spec.columns()) {
            if (column.isbn() || Validation.isText(column)) {
                continue;
            }
            try {
                session.execute(SqlOwner.loader(spec.name()), "SELECT CAST(NULL AS " + column.type() + ")");
            } catch (SomaException e) {
                throw new IngestException(ErrorCode.PROJECT_INVALID, spec.location(), spec.name(),
                        "column " + column.name() + ": '" + column.type() + "' is not a DuckDB type; use VARCHAR, INTEGER, "
                                + "BIGINT, DOUBLE, DECIMAL(10,2), DATE, TIMESTAMP or BOOLEAN");
            }
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
