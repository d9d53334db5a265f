package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.ConstraintEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A SQL model: one {@code .sql} file under the project.
 *
 * @param refs       models and seeds it references (by name), from rendering and from the text
 * @param sources    source tables it reads, as {@code source.table}
 * @param yamlFile   the YAML file documenting it, or {@code null}
 * @param checksum   SHA-256 of the raw template text
 * @param constraints model-level constraints of its YAML entry (column constraints are on {@code columns})
 */
public record ModelNode(String uniqueId, String name, String path, List<String> folders, NodeConfig config,
                        String description, List<ColumnEntry> columns, String yamlFile, Set<String> refs,
                        Set<String> sources, Relation relation, String checksum, List<ConstraintEntry> constraints)
        implements Node {

    public ModelNode {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** A model without model-level constraints. */
    public ModelNode(String uniqueId, String name, String path, List<String> folders, NodeConfig config,
                     String description, List<ColumnEntry> columns, String yamlFile, Set<String> refs,
                     Set<String> sources, Relation relation, String checksum) {
        this(uniqueId, name, path, folders, config, description, columns, yamlFile, refs, sources, relation, checksum,
                List.of());
    }

    /** Whether its contract is enforced ({@code contract: {enforced: true}}). */
    public boolean contractEnforced() {
        return config.contractEnforced();
    }

    @Override
    public ResourceType resourceType() {
        return ResourceType.MODEL;
    }

    @Override
    public List<String> tags() {
        return config.tagList();
    }

    /** Its materialization; a view unless configured (the loader has checked the word). */
    public Materialization materialized() {
        return config.materialized() == null ? Materialization.VIEW : Materialization.ofLabel(config.materialized()).orElseThrow();
    }

    /** Its incremental strategy: as configured, else merge when a unique key is set, else append. */
    public IncrementalStrategy incrementalStrategy() {
        if (config.incrementalStrategy() != null) {
            return IncrementalStrategy.ofLabel(config.incrementalStrategy()).orElseThrow();
        }
        return config.uniqueKeyColumns().isEmpty() ? IncrementalStrategy.APPEND : IncrementalStrategy.MERGE;
    }

    /**
     * The columns its incremental strategy matches batch rows to table rows by: the {@code partition_by}
     * columns for {@code insert_overwrite}, else the {@code unique_key} (empty for append).
     */
    public List<String> matchColumns() {
        return incrementalStrategy() == IncrementalStrategy.INSERT_OVERWRITE ? config.partitionByColumns()
                : config.uniqueKeyColumns();
    }

    public boolean isEphemeral() {
        return materialized() == Materialization.EPHEMERAL;
    }

    @Override
    public List<String> fqn() {
        List<String> fqn = new ArrayList<>(folders);
        fqn.add(name);
        return fqn;
    }
}
