/**
 * A minimal JDBC face over a {@code SparkSession}, so that soma-core's {@code Session} (which wraps a
 * {@link java.sql.Connection}), the run store and the engine run on Spark unchanged.
 *
 * <p>Only what Soma uses is there: statements and prepared statements ({@code ?} parameters rendered
 * as typed, escaped literals), result sets read by index or label with the usual getters, and
 * their column names and types. Anything else throws {@link java.sql.SQLFeatureNotSupportedException}.
 *
 * <p>Transactions: {@code commit}, {@code rollback} and {@code setAutoCommit} are accepted and do
 * nothing, and so are the statements {@code BEGIN …}, {@code COMMIT} and {@code ROLLBACK}: Iceberg
 * commits each statement on its own (atomically, one snapshot per table), and Spark has no
 * multi-statement transactions. Work that must be atomic is written as one statement by the engine
 * ({@code CREATE OR REPLACE TABLE … AS}, {@code MERGE INTO}, {@code INSERT OVERWRITE}).
 */
package dev.soma.spark.jdbc;
