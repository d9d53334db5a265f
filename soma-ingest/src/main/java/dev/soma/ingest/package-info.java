/**
 * Ingestion: loading CSV files and HTTP JSON APIs into {@code raw}, with validation, rejects,
 * duplicate detection by key, incremental cursors and a load record per load, each load in one
 * DuckDB transaction. The entry point is {@link dev.soma.ingest.Ingest}; machinery lives in
 * {@code dev.soma.ingest.internal} and is not promised.
 */
package dev.soma.ingest;
