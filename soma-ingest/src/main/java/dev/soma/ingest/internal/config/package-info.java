/** Reading the {@code ingest:} blocks of a project's YAML files into {@link dev.soma.ingest.spec.SourceSpec}s. */
package dev.soma.ingest.internal.config;
