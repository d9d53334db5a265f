/**
 * Machinery behind {@link dev.soma.jobs}: one store per database ({@code DuckDbJobStore},
 * {@code PostgresJobStore}) on the statements they share ({@code SqlJobStore}, {@code JobTables}), their
 * connection pools, PostgreSQL notifications, the JSON syntax check. Not API: anything here may change
 * without notice.
 */
package dev.soma.jobs.internal;
