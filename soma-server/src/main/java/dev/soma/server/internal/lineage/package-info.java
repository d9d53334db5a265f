/**
 * The lineage graph's layout, computed on the server with ELK's layered (Sugiyama) algorithm and orthogonal edge
 * routing, and served to the lineage page as {@code /lineage/layout.json}.
 */
package dev.soma.server.internal.lineage;
