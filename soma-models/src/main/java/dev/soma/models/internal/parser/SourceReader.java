package dev.soma.models.internal.parser;

import dev.soma.models.api.Relation;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.SchemaFile.SourceEntry;
import dev.soma.models.internal.project.SchemaFile.SourceTableEntry;
import dev.soma.models.internal.project.SourceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads sources: the {@code sources:} section of any YAML file ({@code sources.yml} by habit), one
 * {@link SourceNode} per table. A table inherits its source's schema, loaded_at_field, freshness and
 * tags. Their tests are read by {@link DataTestReader}; an {@code ingest:} block is soma-ingest's.
 */
final class SourceReader implements YamlFile.SectionReader {

    private final String projectName;
    private final Map<String, SourceNode> sources = new TreeMap<>();

    SourceReader(String projectName) {
        this.projectName = projectName;
    }

    @Override
    public void readYaml(YamlFile file) {
        for (SourceEntry source : file.schema().sources()) {
            String sourceName = file.requireName(source.name(), "sources");
            for (SourceTableEntry table : source.tables()) {
                String tableName = file.requireName(table.name(), "sources." + sourceName + ".tables");
                String key = sourceName + "." + tableName;
                int line = file.lineOf("name", tableName);
                if (sources.containsKey(key)) {
                    throw new ProjectException(SourceLocation.of(file.path(), line),
                            "source table " + key + " is declared twice (also in " + sources.get(key).path()
                                    + "); keep one declaration");
                }
                String schemaName = source.schema() == null ? sourceName : source.schema();
                String identifier = table.identifier() == null ? tableName : table.identifier();
                List<String> tags = new ArrayList<>(source.tags());
                tags.addAll(table.tags());
                sources.put(key, new SourceNode("source." + projectName + "." + key, sourceName, tableName, file.path(),
                        line, new Relation(schemaName, identifier), table.description(), table.columns(),
                        table.loadedAtField() != null ? table.loadedAtField() : source.loadedAtField(),
                        table.freshness() != null ? table.freshness() : source.freshness(), List.copyOf(tags)));
            }
        }
    }

    /** Every source table read so far, by {@code source.table}, sorted. */
    Map<String, SourceNode> sources() {
        return sources;
    }
}
