package dev.soma.ingest.internal.source;

import dev.soma.core.warehouse.Session;
import dev.soma.ingest.IngestListener;
import dev.soma.ingest.internal.load.FilesRead;
import dev.soma.ingest.internal.load.LoadedFile;
import dev.soma.ingest.spec.SourceSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of source. {@link #stage} makes the records readable as a SQL relation whose columns are
 * the declared columns as text, plus {@code _file} (file or page) and {@code _raw} (the record as
 * read, or null to be rebuilt from the fields); the shared validation path does the rest.
 *
 * <p>Implementations are stateless and thread-safe; one load uses its own {@link Session}.
 */
public interface Source {

    /** The kind's name in {@code sources.yml}: {@code csv}, {@code http}. */
    String kind();

    /** Prepares the records of one load. Runs outside the load's transaction, on private temp tables. */
    Staged stage(Context context);

    /**
     * What a source is given for one load.
     *
     * @param spec       the source as declared
     * @param session    the load's own connection
     * @param projectDir the folder relative paths start from
     * @param env        the environment ({@code ${env("NAME")}} and auth)
     * @param cursorFrom the committed cursor (or the initial value), null without a cursor
     * @param cursorSent the cursor as the source is to be sent it (the API's own format), null without a cursor
     * @param tag        a short unique tag for temp table names
     * @param listener   progress
     */
    record Context(SourceSpec spec, Session session, Path projectDir, Function<String, String> env, String cursorFrom,
                   String cursorSent, String tag, IngestListener listener) {
    }

    /**
     * Staged records.
     *
     * @param relation      SQL text of a relation (a table or a table function call) with the declared columns,
     *                      {@code _file} and {@code _raw}
     * @param readerRejects SQL text of a query over the reader's own rejects, selecting
     *                      {@code file, line, record, raw, reasons} (one row per rejected record), or null
     * @param perFile       whether record numbers count within each {@code _file} (CSV files) rather than
     *                      across the whole load (API pages)
     * @param onlyFile      the one file read, when {@code _file} is left NULL to keep the staged rows narrow;
     *                      otherwise null
     * @param typed         whether the relation's non-text declared columns already have their types (the
     *                      CSV reader cast them, rejecting the lines that do not convert); otherwise all text
     * @param recheck       what to run once the relation was read, or null
     * @param filesRead     the files read, to remember in the load's transaction (none for an API)
     * @param filesSkipped  how many files were not read because an earlier load read them as they are
     */
    record Staged(String relation, String readerRejects, boolean perFile, String onlyFile, boolean typed,
                  Recheck recheck, FilesRead filesRead, int filesSkipped) {

        /** Staged records that are not files. */
        public Staged(String relation, String readerRejects, boolean perFile, String onlyFile, boolean typed, Recheck recheck) {
            this(relation, readerRejects, perFile, onlyFile, typed, recheck, FilesRead.none(), 0);
        }

        /** The files read, hashed (waits for {@link FilesRead}'s thread). */
        public List<LoadedFile> files() {
            return filesRead.files();
        }

        /** This staging with the reader's rejects given by {@code readerRejects} instead. */
        public Staged withReaderRejects(String readerRejects) {
            return new Staged(relation, readerRejects, perFile, onlyFile, typed, null, filesRead, filesSkipped);
        }
    }

    /**
     * Run after the staged relation was read and checked into the table {@code checked}: completes the reader's
     * rejects (e.g. every rule a line broke, not only the value the reader could not convert) and returns the query
     * that yields them. A line the reader rejected that breaks no rule once read as text (a quoted empty field in a
     * typed column, which is missing, not a bad value) is added to {@code checked} and yielded with NULL reasons: it
     * is no reject, but it still holds its place when the rows after it are numbered.
     */
    @FunctionalInterface
    interface Recheck {
        String readerRejects(Session session, String checked);
    }
}
