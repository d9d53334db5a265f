/**
 * The project graph: a JGraphT DAG of sources, seeds, models and tests, edges pointing from a node to
 * the nodes that read it, built from a loaded project ({@code ModelGraph.of}); cycles are reported as
 * the path that closes them. {@code NodeCatalog} describes each node for the public API.
 */
package dev.soma.models.internal.graph;
