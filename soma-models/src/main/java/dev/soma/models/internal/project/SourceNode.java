package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.Freshness;

import java.util.List;

/**
 * A raw table declared in a {@code sources:} block; models read it with {@code source(source, table)}.
 *
 * @param loadedAtField the column holding load time, for freshness; may be {@code null}
 * @param freshness     freshness thresholds; may be {@code null}
 * @param line          the line of the table's entry in {@link #path()}
 */
public record SourceNode(String uniqueId, String sourceName, String tableName, String path, int line,
                         Relation relation, String description, List<ColumnEntry> columns, String loadedAtField,
                         Freshness freshness, List<String> tags) implements Node {

    @Override
    public String name() {
        return sourceName + "." + tableName;
    }

    @Override
    public ResourceType resourceType() {
        return ResourceType.SOURCE;
    }

    @Override
    public NodeConfig config() {
        return NodeConfig.EMPTY;
    }

    @Override
    public List<String> fqn() {
        return List.of(sourceName, tableName);
    }
}
