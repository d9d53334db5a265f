/**
 * Landing tables from DuckDB in Iceberg: what {@code soma generate --target spark} needs, since the
 * generator writes through DuckDB's Appender. See {@link dev.soma.spark.load.ParquetTransfer}.
 */
package dev.soma.spark.load;
