package dev.soma.models.internal.project;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How an incremental model adds a batch to its table: the {@code incremental_strategy} config key. */
public enum IncrementalStrategy {
    APPEND("append", false), MERGE("merge", true), DELETE_INSERT("delete+insert", true),
    /** dbt's {@code insert_overwrite}: every partition ({@code partition_by}) the batch has rows in is replaced by them. */
    INSERT_OVERWRITE("insert_overwrite", false);

    private final String label;
    private final boolean needsUniqueKey;

    IncrementalStrategy(String label, boolean needsUniqueKey) {
        this.label = label;
        this.needsUniqueKey = needsUniqueKey;
    }

    /** The word used in config ({@code delete+insert}, …). */
    public String label() {
        return label;
    }

    /** Whether the strategy matches batch rows to existing ones, so a {@code unique_key} is required. */
    public boolean needsUniqueKey() {
        return needsUniqueKey;
    }

    /** Whether the strategy replaces whole partitions, so a {@code partition_by} is required. */
    public boolean needsPartitionBy() {
        return this == INSERT_OVERWRITE;
    }

    public static Optional<IncrementalStrategy> ofLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(IncrementalStrategy::label).toList();
    }
}
