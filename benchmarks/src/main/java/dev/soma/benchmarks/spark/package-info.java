/**
 * The Spark engine against DuckDB on the bundled project (issue 25): session start, raw landing, build
 * time and the per-model overhead above Spark's own query time. Needs soma-spark on the class path
 * (benchmarks/README.md section 17 says how); the benchmarks jar does not hold it.
 */
package dev.soma.benchmarks.spark;
