package dev.soma.ingest;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one load, as recorded in {@code soma_meta.ingest_loads}.
 *
 * @param loadId      unique id of the load, also in every row it wrote ({@code _load_id})
 * @param source      the source, {@code source.table}
 * @param status      succeeded or failed
 * @param started     when the load began
 * @param finished    when it ended
 * @param rowsRead    records read from the source (parsed rows and rows the reader rejected)
 * @param rowsLoaded  rows inserted into {@code raw.<table>} (new keys)
 * @param rowsUpdated rows replaced because their key was loaded before with other values ({@code merge})
 * @param rowsRejected rows that broke a rule, with their reasons in {@code soma_meta.ingest_rejects}
 * @param rowsDuplicate valid rows whose key was already loaded or already seen in this load
 * @param rowsSkipped valid rows before the cursor's start
 * @param filesSkipped files of a CSV path or glob not read because an earlier load read them as they are (same
 *                    path, size and content)
 * @param cursorFrom  the cursor at the start (null without a cursor)
 * @param cursorTo    the cursor committed by this load (null without a cursor)
 * @param error       why the load failed, or null
 */
public record LoadResult(String loadId, String source, LoadStatus status, Instant started, Instant finished,
                         long rowsRead, long rowsLoaded, long rowsUpdated, long rowsRejected, long rowsDuplicate,
                         long rowsSkipped, long filesSkipped, String cursorFrom, String cursorTo, String error) {

    /** How long the load took. */
    public Duration duration() {
        return Duration.between(started, finished);
    }

    public boolean succeeded() {
        return status == LoadStatus.SUCCEEDED;
    }

    @Override
    public String toString() {
        return source + " " + status.name().toLowerCase(java.util.Locale.ROOT) + ": read " + rowsRead + ", loaded "
                + rowsLoaded + ", updated " + rowsUpdated + ", rejected " + rowsRejected + ", duplicate " + rowsDuplicate
                + (filesSkipped == 0 ? "" : ", files skipped " + filesSkipped)
                + (error == null ? "" : " (" + error + ")");
    }
}
