/**
 * Compiling a model: the second render, with real relation names and {@code is_incremental()}
 * answered from the warehouse, and ephemeral models inlined as CTEs.
 */
package dev.soma.models.internal.compile;
