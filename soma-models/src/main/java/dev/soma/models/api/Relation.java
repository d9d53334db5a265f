package dev.soma.models.api;

import dev.soma.core.engine.Dialect;
import dev.soma.core.warehouse.Identifiers;

/** A table or view in the warehouse: {@code schema.identifier}. */
public record Relation(String schema, String identifier) {

    /**
     * {@code "schema"."identifier"}, safe to put in SQL: standard SQL's quoting, which the default
     * engine reads. SQL for the warehouse's engine uses {@link #quoted(Dialect)}.
     */
    public String quoted() {
        return Identifiers.qualify(schema, identifier);
    }

    /** The relation as {@code dialect} names it ({@code ref()} renders this), safe to put in SQL. */
    public String quoted(Dialect dialect) {
        return dialect.relation(schema, identifier);
    }

    @Override
    public String toString() {
        return schema + "." + identifier;
    }
}
