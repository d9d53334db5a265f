/**
 * Windowed models (seed 003's time-window pipeline as a materialization): the window spec read from
 * config ({@link dev.soma.models.internal.window.WindowSpec}), the window states and their allowed
 * transitions ({@link dev.soma.models.internal.window.WindowState}), the ledger
 * {@code soma_meta.windows} ({@link dev.soma.models.internal.window.WindowLedger}) and the per-run
 * processing of one model's windows ({@link dev.soma.models.internal.window.WindowedBuild}), the
 * re-audit of finished windows against the source as it is now ({@link dev.soma.models.internal.window.WindowAudit}),
 * and the verbs on the ledger that {@code Soma} delegates to ({@link dev.soma.models.internal.window.WindowVerbs}).
 */
package dev.soma.models.internal.window;
