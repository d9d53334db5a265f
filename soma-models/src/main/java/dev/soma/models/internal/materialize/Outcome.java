package dev.soma.models.internal.materialize;

/**
 * What a materialization did.
 *
 * @param rows    rows written (-1 for a view)
 * @param message a short summary, e.g. {@code CREATE TABLE}, {@code MERGE}
 */
public record Outcome(long rows, String message) {
}
