package dev.soma.models.internal.materialize;

import dev.soma.core.engine.CatalogEntry;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.Relation;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What already exists in the schemas a run builds into: table or view, by relation, read with one
 * catalog query when the run starts. Every node only replaces its own relation, so the snapshot stays
 * right for each node when it builds; asking the catalog per model instead cost ~2 ms per model with
 * a thousand views in one schema (information_schema scans the whole catalog). The engine reads its
 * catalog ({@link dev.soma.core.engine.Engine#relations}). Immutable, thread-safe.
 */
public final class RelationTypes {

    private final Map<String, RelationType> types;

    private RelationTypes(Map<String, RelationType> types) {
        this.types = types;
    }

    /** Nothing exists: what a compile without a database assumes. */
    public static RelationTypes none() {
        return new RelationTypes(Map.of());
    }

    /** Reads the tables and views of {@code schemas}. */
    public static RelationTypes load(Session session, Collection<String> schemas) {
        Map<String, RelationType> types = new HashMap<>();
        for (CatalogEntry entry : session.engine().relations(session, schemas)) {
            types.put(key(entry.schema(), entry.name()), entry.kind() == RelationKind.VIEW ? RelationType.VIEW : RelationType.TABLE);
        }
        return new RelationTypes(Map.copyOf(types));
    }

    /** These types, with each of {@code relations} known as {@code type}. */
    public RelationTypes with(Collection<Relation> relations, RelationType type) {
        if (relations.isEmpty()) {
            return this;
        }
        Map<String, RelationType> more = new HashMap<>(types);
        relations.forEach(relation -> more.put(key(relation.schema(), relation.identifier()), type));
        return new RelationTypes(Map.copyOf(more));
    }

    /** What {@code relation} was when the run started, or {@code null} when it did not exist. */
    public RelationType typeOf(Relation relation) {
        return types.get(key(relation.schema(), relation.identifier()));
    }

    /** The engines match identifiers case-insensitively. */
    private static String key(String schema, String name) {
        return (schema + '\u0000' + name).toLowerCase(Locale.ROOT);
    }
}
