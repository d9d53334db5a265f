/**
 * The warehouse: one embedded DuckDB database and the {@link dev.soma.core.warehouse.Session}s
 * (one connection each) that work on it.
 *
 * <p>Every {@link java.sql.SQLException} is wrapped here, at the boundary, with the
 * {@link dev.soma.core.warehouse.SqlOwner} that issued the statement.
 */
package dev.soma.core.warehouse;
