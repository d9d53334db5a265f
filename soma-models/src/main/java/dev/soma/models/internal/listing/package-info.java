/**
 * Listing and documentation ({@code soma ls}, {@code soma docs}): the selected nodes in dependency
 * order with their tests, one node by name, and a node's docs. Reads the loaded project only, never
 * the database ({@link dev.soma.models.internal.listing.NodeListing}).
 */
package dev.soma.models.internal.listing;
