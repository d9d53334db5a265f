/**
 * Running: the verbs {@code run}, {@code test} and {@code build}
 * ({@link dev.soma.models.internal.run.RunVerbs}), the lifecycle of one run
 * ({@link dev.soma.models.internal.run.RunLifecycle}: schemas, run store, hooks, artifacts, run results),
 * executing a plan in dependency order on several connections ({@link dev.soma.models.internal.run.Runner}:
 * scheduling, skipping the descendants of failures, fail-fast, the listener), building one node
 * ({@link dev.soma.models.internal.run.NodeExecutor}), and {@code compile}: the selected models' SQL
 * written to {@code target/compiled} ({@link dev.soma.models.internal.run.CompiledSqlWriter}).
 */
package dev.soma.models.internal.run;
