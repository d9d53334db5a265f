package dev.soma.core.engine;

/**
 * One relation in the catalog, as {@link Engine#relations} reads it.
 *
 * @param schema the schema (a namespace on engines with catalogs), as the catalog spells it
 * @param name   the table or view name
 * @param kind   table or view
 */
public record CatalogEntry(String schema, String name, RelationKind kind) {
}
