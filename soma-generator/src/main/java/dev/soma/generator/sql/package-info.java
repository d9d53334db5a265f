/**
 * Internal: the SQL that generates each raw table set-wise inside DuckDB ({@code INSERT … SELECT …
 * FROM range(from, to)}), every value a pure function of the seed and the row number. Not API.
 *
 * <p>Why set-wise: rows never cross JNI one value at a time, DuckDB parallelises the expressions, and
 * a value depends only on (seed, row, stream), so the data is the same whatever the thread count or
 * chunking. A book's attributes are macros of its row number, so sales recompute a book's price and
 * publication year instead of joining to {@code raw.books}: constant memory at any scale.
 */
package dev.soma.generator.sql;
