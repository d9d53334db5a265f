/**
 * Soma in CI (docs/ci.md): an earlier run's manifest ({@code StateManifest}, {@code --state}), what changed since
 * ({@code StateComparison}: dbt's {@code state:} selectors; {@code ChangeClassifier}: breaking or not), reading
 * unselected models from it ({@code Deferral}, {@code --defer}), and the last run's results for {@code soma retry}
 * ({@code RunResultsReader}). The manifest's compile-independent checksums are defined in {@code NodeState}.
 */
package dev.soma.models.internal.state;
