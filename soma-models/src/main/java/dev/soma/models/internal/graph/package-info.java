/**
 * The project graph: a JGraphT DAG of sources, seeds, models and tests, edges pointing from a node to
 * the nodes that read it. Cycles are reported as the path that closes them.
 */
package dev.soma.models.internal.graph;
