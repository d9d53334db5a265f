package dev.soma.generator;

import java.time.Duration;
import java.util.Map;

/**
 * Hears how a generation advances, e.g. to draw a progress bar. Called on the generating thread,
 * between statements; an exception thrown here aborts the generation and rolls everything back
 * (the previous raw tables stay as they were).
 *
 * <p>Every method has an empty default; implement what you need.
 */
public interface GenerationListener {

    /** A listener that does nothing. */
    GenerationListener NONE = new GenerationListener() {
    };

    /** Before anything is written: the rows each table will get, in generation order. */
    default void started(Map<RawTable, Long> plannedRows) {
    }

    /** {@code rowsDone} of {@code table}'s rows are written (called after each chunk). */
    default void progressed(RawTable table, long rowsDone, long rowsTotal) {
    }

    /** {@code table} is fully written (not yet committed: all five commit together). */
    default void tableFinished(RawTable table, long rows, Duration took) {
    }
}
