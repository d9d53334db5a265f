package dev.soma.models.api;

import dev.soma.core.warehouse.Identifiers;

/** A table or view in the warehouse: {@code schema.identifier}. */
public record Relation(String schema, String identifier) {

    /** {@code "schema"."identifier"}, safe to put in SQL. */
    public String quoted() {
        return Identifiers.qualify(schema, identifier);
    }

    @Override
    public String toString() {
        return schema + "." + identifier;
    }
}
