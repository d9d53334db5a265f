/**
 * Generator benchmarks: the generator's sales rows per second into a file database, next to a bare
 * DuckDB Appender and pure SQL from {@code range()} writing the same column types, in one run; and a
 * memory check at 100M sales rows.
 */
package dev.soma.benchmarks.generator;
