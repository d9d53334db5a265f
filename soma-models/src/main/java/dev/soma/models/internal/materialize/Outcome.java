package dev.soma.models.internal.materialize;

/**
 * What a materialization did.
 *
 * @param rows      rows written (-1 for a view)
 * @param message   a short summary, e.g. {@code CREATE TABLE}, {@code MERGE}
 * @param increment the rows an incremental build added or changed, when kept for tests; else {@code null}
 */
public record Outcome(long rows, String message, Increment increment) {

    public Outcome(long rows, String message) {
        this(rows, message, null);
    }
}
