package dev.soma.core.runstore;

import java.time.Instant;

/**
 * What happened to one node in one run.
 *
 * @param uniqueId      e.g. {@code model.soma.fact_sales}
 * @param name          the node's short name
 * @param resourceType  {@code model}, {@code seed}, {@code test}, …
 * @param status        e.g. {@code success}, {@code error}, {@code skipped}, {@code pass}, {@code fail}
 * @param rowsAffected  rows written (models, seeds) or -1 when unknown
 * @param failures      failing rows (tests) or -1 when not a test
 * @param startedAt     when the node started; {@code null} if it never started
 * @param durationMillis how long it took
 * @param message       error or status message; may be {@code null}
 * @param compiledPath  the compiled SQL file; may be {@code null}
 * @param checksum      SHA-256 of the compiled SQL; may be {@code null}
 */
public record NodeRecord(String uniqueId, String name, String resourceType, String status, long rowsAffected,
                         long failures, Instant startedAt, double durationMillis, String message,
                         String compiledPath, String checksum) {
}
