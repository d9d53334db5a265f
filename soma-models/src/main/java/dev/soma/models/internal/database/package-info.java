/**
 * Choosing the target of {@code soma_project.yml} (threads, database, DuckDB settings) and opening
 * its database with those settings applied, on first need
 * ({@link dev.soma.models.internal.database.LazyWarehouse}). (Not named {@code target}: that is the
 * build output folder.)
 */
package dev.soma.models.internal.database;
