/**
 * Where rows come from: one {@link dev.soma.ingest.internal.source.Source} per kind ({@code csv},
 * {@code http}), each staging the raw records as text for the shared validation path.
 */
package dev.soma.ingest.internal.source;
