/**
 * What a run leaves on disk: {@code target/compiled/…sql}, {@code target/manifest.json} and
 * {@code target/run_results.json}, shaped close to dbt's artifacts so tooling ideas carry over.
 */
package dev.soma.models.internal.artifacts;
