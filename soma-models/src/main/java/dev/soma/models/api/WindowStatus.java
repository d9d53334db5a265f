package dev.soma.models.api;

/**
 * Where one window of a windowed model stands in {@code soma_meta.windows}. Serialised (JSON, the
 * ledger) by its name: {@code PENDING}, {@code IN_PROGRESS}, {@code DONE}, {@code FAILED}.
 */
public enum WindowStatus {
    /** Known, not yet loaded (or released from a stale lock, or reset by hand). */
    PENDING,
    /** Locked by a run that is loading it. */
    IN_PROGRESS,
    /** Loaded, or skipped because source and target already matched. */
    DONE,
    /** The last attempt failed; the error is kept and the next run retries it. */
    FAILED
}
