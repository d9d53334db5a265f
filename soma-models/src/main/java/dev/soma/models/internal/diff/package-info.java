/** {@code soma diff}: one relation compared on two sides, set-based in DuckDB ({@code TableDiffer}). */
package dev.soma.models.internal.diff;
