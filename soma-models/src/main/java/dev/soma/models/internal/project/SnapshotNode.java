package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.SnapshotConfig;

import java.util.List;

/**
 * A snapshot (dbt's SCD type 2): a table that records every version of the rows of the relation it
 * reads, with dbt's meta columns {@code dbt_scd_id}, {@code dbt_updated_at}, {@code dbt_valid_from},
 * {@code dbt_valid_to} (and {@code dbt_is_deleted} with {@code hard_deletes: new_record}).
 *
 * @param path         the YAML file declaring it
 * @param line         the line of its {@code name:} there
 * @param folders      the folders of that file, outermost first, for fqn selection
 * @param snapshot     its config as written
 * @param config       the same as a {@link NodeConfig} ({@code materialized: snapshot}), for selection
 * @param readsRef     the model, seed or snapshot it reads ({@code relation: ref('…')}), or {@code null}
 * @param readsSource  the source table it reads as {@code source.table}, or {@code null}
 * @param uniqueKey    key expressions, at least one
 * @param checkCols    the columns the check strategy compares; empty: all (or the timestamp strategy)
 * @param validToCurrent SQL for {@code dbt_valid_to} of current rows ({@code dbt_valid_to_current}), or {@code null}
 */
public record SnapshotNode(String uniqueId, String name, String path, int line, List<String> folders, SnapshotConfig snapshot,
                           NodeConfig config, String description, List<ColumnEntry> columns, String readsRef,
                           String readsSource, Relation relation, SnapshotStrategy strategy, List<String> uniqueKey,
                           String updatedAt, List<String> checkCols, String validToCurrent, HardDeletes hardDeletes)
        implements Node {

    public SnapshotNode {
        folders = List.copyOf(folders);
        columns = List.copyOf(columns);
        uniqueKey = List.copyOf(uniqueKey);
        checkCols = List.copyOf(checkCols);
    }

    /** dbt's {@code strategy}. */
    public enum SnapshotStrategy {
        TIMESTAMP, CHECK;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** dbt's {@code hard_deletes}: what happens to the snapshot's rows whose key left the source. */
    public enum HardDeletes {
        /** Keep them current (dbt's default). */
        IGNORE,
        /** Close them: {@code dbt_valid_to} becomes the snapshot time. */
        INVALIDATE,
        /** Close them and add a row with {@code dbt_is_deleted = 'True'}. */
        NEW_RECORD;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public ResourceType resourceType() {
        return ResourceType.SNAPSHOT;
    }

    @Override
    public List<String> fqn() {
        return Node.fqn(folders, name);
    }
}
