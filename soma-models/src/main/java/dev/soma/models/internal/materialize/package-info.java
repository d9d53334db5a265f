/**
 * Materializations: how a compiled model becomes a view or table in DuckDB, and how seeds load.
 *
 * <p>Every build runs in one transaction. A table is built under a temporary name and swapped in at
 * the end, so a failed or killed build leaves the previous table intact and readable.
 */
package dev.soma.models.internal.materialize;
