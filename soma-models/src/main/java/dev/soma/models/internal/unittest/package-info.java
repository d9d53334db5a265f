/**
 * Unit tests (dbt's {@code unit_tests:}): a model's SQL run on given rows in an in-memory DuckDB of its
 * own, its output compared with the expected rows. Column types come from the project itself (declared
 * {@code data_type}s, the parents' SQL compiled on zero rows, seed files), so no warehouse is needed.
 */
package dev.soma.models.internal.unittest;
