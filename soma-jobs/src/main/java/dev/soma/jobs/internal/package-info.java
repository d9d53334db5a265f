/**
 * Machinery behind {@link dev.soma.jobs}: the SQL store shared by both dialects, connection pools,
 * the dispatcher that feeds worker threads, PostgreSQL notifications, the JSON syntax check. Not API:
 * anything here may change without notice.
 */
package dev.soma.jobs.internal;
