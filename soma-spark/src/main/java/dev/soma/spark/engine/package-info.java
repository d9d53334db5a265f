/**
 * Spark + Iceberg's side of the engine seam: {@link dev.soma.spark.engine.SparkDialect} (backticks,
 * three-part names, the cross-engine macros), {@link dev.soma.spark.engine.SparkEngine} (DDL per
 * materialization, incremental strategies, tests and dedup without {@code EXCLUDE}/{@code QUALIFY}),
 * {@link dev.soma.spark.engine.SparkCatalogQueries} (metadata through {@code SHOW TABLES} and
 * {@code DESCRIBE}; Spark has no {@code information_schema}), {@link dev.soma.spark.engine.SeedValues}
 * (seeds as inline rows) and {@link dev.soma.spark.engine.SparkEngineProvider} (found by name
 * {@code spark}).
 */
package dev.soma.spark.engine;
