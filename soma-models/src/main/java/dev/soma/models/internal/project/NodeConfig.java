package dev.soma.models.internal.project;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.soma.models.api.Relation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of a model, seed or test, from any level: project default, folder default, the
 * model's YAML entry, or the model file's {@code <@config …/>}. Every field is {@code null} when
 * that level does not set it; {@link #overriddenBy} layers a more specific level on top.
 *
 * <p>Test keys ({@code severity}, {@code where}, …) live here too so one folder block can configure
 * both models and tests, as in dbt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfig(
        String materialized,
        String schema,
        String alias,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> tags,
        @JsonProperty("unique_key") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> uniqueKey,
        @JsonProperty("incremental_strategy") String incrementalStrategy,
        @JsonProperty("partition_by") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> partitionBy,
        @JsonProperty("pre_hook") @JsonAlias("pre-hook") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> preHook,
        @JsonProperty("post_hook") @JsonAlias("post-hook") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> postHook,
        Boolean enabled,
        @JsonProperty("full_refresh") Boolean fullRefresh,
        @JsonProperty("column_types") Map<String, String> columnTypes,
        Map<String, Object> meta,
        String severity,
        String where,
        Long limit,
        @JsonProperty("store_failures") Boolean storeFailures,
        @JsonProperty("warn_if") String warnIf,
        @JsonProperty("error_if") String errorIf,
        @JsonProperty("event_time") String eventTime,
        String granularity,
        String lag,
        String start,
        String timezone,
        String audit,
        @JsonProperty("stale_lock_after") String staleLockAfter,
        @JsonProperty("max_windows_per_run") Integer maxWindowsPerRun,
        Contract contract) {

    /** Every key a config block may hold, for validation and suggestions. */
    public static final List<String> KEYS = List.of("materialized", "schema", "alias", "tags", "unique_key",
            "incremental_strategy", "partition_by", "pre_hook", "post_hook", "enabled", "full_refresh", "column_types", "meta",
            "severity", "where", "limit", "store_failures", "warn_if", "error_if",
            "event_time", "granularity", "lag", "start", "timezone", "audit", "stale_lock_after", "max_windows_per_run",
            "contract");

    public static final NodeConfig EMPTY = new NodeConfig(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /**
     * This config with {@code other}'s values on top: {@code other} wins wherever it sets a value;
     * tags and hooks accumulate (project tags plus folder tags plus model tags), meta merges by key.
     */
    public NodeConfig overriddenBy(NodeConfig other) {
        if (other == null || other == EMPTY) {
            return this;
        }
        return new NodeConfig(
                pick(materialized, other.materialized),
                pick(schema, other.schema),
                pick(alias, other.alias),
                union(tags, other.tags),
                pick(uniqueKey, other.uniqueKey),
                pick(incrementalStrategy, other.incrementalStrategy),
                pick(partitionBy, other.partitionBy),
                concat(preHook, other.preHook),
                concat(postHook, other.postHook),
                pick(enabled, other.enabled),
                pick(fullRefresh, other.fullRefresh),
                mergeMaps(columnTypes, other.columnTypes),
                mergeMaps(meta, other.meta),
                pick(severity, other.severity),
                pick(where, other.where),
                pick(limit, other.limit),
                pick(storeFailures, other.storeFailures),
                pick(warnIf, other.warnIf),
                pick(errorIf, other.errorIf),
                pick(eventTime, other.eventTime),
                pick(granularity, other.granularity),
                pick(lag, other.lag),
                pick(start, other.start),
                pick(timezone, other.timezone),
                pick(audit, other.audit),
                pick(staleLockAfter, other.staleLockAfter),
                pick(maxWindowsPerRun, other.maxWindowsPerRun),
                pick(contract, other.contract));
    }

    /**
     * The relation a model or seed called {@code name} builds with this config: {@code schema}
     * (default {@code main}) and {@code alias} (default its name).
     */
    public Relation relation(String name) {
        return new Relation(schema == null ? "main" : schema, alias == null ? name : alias);
    }

    /** Tags, never {@code null}. */
    public List<String> tagList() {
        return tags == null ? List.of() : tags;
    }

    /** Unique key columns, never {@code null}. */
    public List<String> uniqueKeyColumns() {
        return uniqueKey == null ? List.of() : uniqueKey;
    }

    /** The {@code partition_by} columns of {@code insert_overwrite}, never {@code null}. */
    public List<String> partitionByColumns() {
        return partitionBy == null ? List.of() : partitionBy;
    }

    public List<String> preHooks() {
        return preHook == null ? List.of() : preHook;
    }

    public List<String> postHooks() {
        return postHook == null ? List.of() : postHook;
    }

    /** Whether dbt's {@code contract: {enforced: true}} is set. */
    public boolean contractEnforced() {
        return contract != null && Boolean.TRUE.equals(contract.enforced());
    }

    /**
     * dbt's model contract: with {@code enforced: true} the model's columns must match its declared
     * columns (names and data types) and its constraints go into the table's DDL.
     *
     * @param aliasTypes dbt's {@code alias_types}; accepted, and types are always compared by their normal form
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contract(Boolean enforced, @JsonProperty("alias_types") Boolean aliasTypes) {
    }

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    private static <T> T pick(T base, T override) {
        return override != null ? override : base;
    }

    private static List<String> union(List<String> base, List<String> override) {
        if (base == null || override == null) {
            return base == null ? override : base;
        }
        Set<String> all = new LinkedHashSet<>(base);
        all.addAll(override);
        return List.copyOf(all);
    }

    private static List<String> concat(List<String> base, List<String> override) {
        if (base == null || override == null) {
            return base == null ? override : base;
        }
        List<String> all = new ArrayList<>(base);
        all.addAll(override);
        return List.copyOf(all);
    }

    private static <V> Map<String, V> mergeMaps(Map<String, V> base, Map<String, V> override) {
        if (base == null || override == null) {
            return base == null ? override : base;
        }
        Map<String, V> all = new LinkedHashMap<>(base);
        all.putAll(override);
        return all;
    }
}
