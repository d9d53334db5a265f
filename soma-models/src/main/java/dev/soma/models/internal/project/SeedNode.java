package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;

import java.util.List;

/** A CSV file under {@code seeds/}, loaded as a table with DuckDB's CSV reader. */
public record SeedNode(String uniqueId, String name, String path, List<String> folders, NodeConfig config,
                       String description, List<ColumnEntry> columns, Relation relation, String checksum)
        implements Node {

    @Override
    public ResourceType resourceType() {
        return ResourceType.SEED;
    }

    @Override
    public List<String> fqn() {
        return Node.fqn(folders, name);
    }
}
