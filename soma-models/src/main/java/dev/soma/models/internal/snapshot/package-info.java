/**
 * Snapshots (dbt's SCD type 2): {@code SnapshotBuild} runs one snapshot in one transaction; the SQL it
 * runs, in the engine's spelling, is all in {@code SnapshotSql}.
 */
package dev.soma.models.internal.snapshot;
