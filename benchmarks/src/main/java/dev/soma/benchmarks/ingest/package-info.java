/** Ingestion benchmarks: validated CSV loads against DuckDB's bare reader, HTTP request overlap. */
package dev.soma.benchmarks.ingest;
