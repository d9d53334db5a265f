package dev.soma.models.api;

/**
 * How much one schema (a layer: raw, staging, analytics, …) holds among the built nodes of a project.
 *
 * @param schema    the schema
 * @param relations how many built tables and views of the project live there
 * @param rows      their rows together
 */
public record LayerSize(String schema, int relations, long rows) {
}
