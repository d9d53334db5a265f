/**
 * Snapshots (dbt's SCD type 2): {@code SnapshotBuild} runs one snapshot in one transaction; the SQL it
 * runs, DuckDB's, is all in {@code SnapshotSql}.
 */
package dev.soma.models.internal.snapshot;
