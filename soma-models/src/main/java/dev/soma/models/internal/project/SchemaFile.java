package dev.soma.models.internal.project;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A YAML file beside the models ({@code staging/_staging.yml}, {@code sources.yml}, …): documentation,
 * config and tests for models, sources and seeds.
 */
public record SchemaFile(Integer version, List<ModelEntry> models, List<SourceEntry> sources, List<ModelEntry> seeds,
                         @JsonProperty("unit_tests") List<UnitTestEntry> unitTests, List<SnapshotEntry> snapshots) {

    public SchemaFile {
        models = orEmpty(models);
        sources = orEmpty(sources);
        seeds = orEmpty(seeds);
        unitTests = orEmpty(unitTests);
        snapshots = orEmpty(snapshots);
    }

    /**
     * A unit test, in dbt's shape: the model it tests, its inputs ({@code given}), the rows the model
     * should return ({@code expect}), and what to pretend ({@code overrides}).
     */
    public record UnitTestEntry(
            String name,
            String model,
            String description,
            List<UnitTestFixture> given,
            UnitTestFixture expect,
            UnitTestOverrides overrides,
            UnitTestConfig config,
            Map<String, Object> versions) {
        public UnitTestEntry {
            given = orEmpty(given);
            overrides = overrides == null ? new UnitTestOverrides(null, null, null) : overrides;
            config = config == null ? new UnitTestConfig(null, null, null) : config;
        }
    }

    /**
     * One input or the expected output of a unit test.
     *
     * @param input   {@code ref('m')}, {@code source('s', 't')} or {@code this}; {@code null} for {@code expect}
     * @param rows    a list of mappings ({@code dict}, the default), or CSV or SQL text
     * @param format  {@code dict}, {@code csv} or {@code sql}; {@code null}: dict
     * @param fixture a file under {@code tests/fixtures/} (without extension) holding the rows, for csv and sql
     */
    public record UnitTestFixture(String input, com.fasterxml.jackson.databind.JsonNode rows, String format, String fixture) {
    }

    /** What a unit test pretends: macro results ({@code is_incremental}), vars, environment variables. */
    public record UnitTestOverrides(Map<String, Object> macros, Map<String, Object> vars,
                                    @JsonProperty("env_vars") Map<String, Object> envVars) {
        public UnitTestOverrides {
            macros = macros == null ? Map.of() : macros;
            vars = vars == null ? Map.of() : vars;
            envVars = envVars == null ? Map.of() : envVars;
        }
    }

    /** A unit test's config: tags for selection, meta, and whether it is enabled. */
    public record UnitTestConfig(
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> tags,
            Map<String, Object> meta,
            Boolean enabled) {
        public UnitTestConfig {
            tags = orEmpty(tags);
            meta = meta == null ? Map.of() : meta;
        }
    }

    /** A model's (or seed's) entry. */
    public record ModelEntry(
            String name,
            String description,
            NodeConfig config,
            List<ColumnEntry> columns,
            @JsonAlias("data_tests") List<TestEntry> tests,
            Map<String, Object> meta,
            List<ConstraintEntry> constraints) {
        public ModelEntry {
            columns = orEmpty(columns);
            tests = orEmpty(tests);
            constraints = orEmpty(constraints);
            config = config == null ? NodeConfig.EMPTY : config;
        }
    }

    /** A column's documentation and tests. */
    public record ColumnEntry(
            String name,
            String description,
            @JsonProperty("data_type") String dataType,
            @JsonAlias("data_tests") List<TestEntry> tests,
            Map<String, Object> meta,
            Boolean quote,
            List<ConstraintEntry> constraints) {
        public ColumnEntry {
            tests = orEmpty(tests);
            constraints = orEmpty(constraints);
        }
    }

    /**
     * A dbt constraint, on a column ({@code columns[].constraints}) or on the model ({@code constraints}, which
     * names its {@code columns}).
     *
     * @param type       not_null, unique, primary_key, check, foreign_key or custom
     * @param expression a check's condition; a foreign key's {@code table (column)} in dbt's older form
     * @param to         a foreign key's parent, {@code ref('m')} or {@code source('s','t')}
     * @param toColumns  a foreign key's parent columns
     */
    public record ConstraintEntry(
            String type,
            String name,
            String expression,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> columns,
            String to,
            @JsonProperty("to_columns") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> toColumns,
            @JsonProperty("warn_unenforced") Boolean warnUnenforced,
            @JsonProperty("warn_unsupported") Boolean warnUnsupported) {
        public ConstraintEntry {
            columns = orEmpty(columns);
            toColumns = orEmpty(toColumns);
        }
    }

    /**
     * A snapshot in dbt 1.9's YAML form: the relation it records the history of, and how.
     *
     * @param relation {@code ref('m')} or {@code source('s','t')}
     */
    public record SnapshotEntry(
            String name,
            String description,
            String relation,
            SnapshotConfig config,
            List<ColumnEntry> columns,
            Map<String, Object> meta) {
        public SnapshotEntry {
            columns = orEmpty(columns);
            config = config == null ? SnapshotConfig.EMPTY : config;
        }
    }

    /**
     * A snapshot's config, dbt's keys: {@code strategy} timestamp (by {@code updated_at}) or check (of
     * {@code check_cols}, {@code all} or a list); {@code hard_deletes} ignore (default), invalidate or
     * new_record; {@code invalidate_hard_deletes: true} is dbt's older spelling of invalidate.
     */
    public record SnapshotConfig(
            String schema,
            String database,
            String alias,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> tags,
            Boolean enabled,
            Map<String, Object> meta,
            @JsonProperty("unique_key") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<String> uniqueKey,
            String strategy,
            @JsonProperty("updated_at") String updatedAt,
            @JsonProperty("check_cols") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<String> checkCols,
            @JsonProperty("dbt_valid_to_current") String dbtValidToCurrent,
            @JsonProperty("hard_deletes") String hardDeletes,
            @JsonProperty("invalidate_hard_deletes") Boolean invalidateHardDeletes,
            @JsonProperty("target_schema") String targetSchema) {

        public static final SnapshotConfig EMPTY = new SnapshotConfig(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);

        public List<String> tagList() {
            return tags == null ? List.of() : tags;
        }

        public List<String> uniqueKeyColumns() {
            return uniqueKey == null ? List.of() : uniqueKey;
        }

        public boolean isEnabledOrDefault() {
            return enabled == null || enabled;
        }
    }

    /** A source: a schema of raw tables that models read with {@code source(name, table)}. */
    public record SourceEntry(
            String name,
            String description,
            String schema,
            @JsonProperty("loaded_at_field") String loadedAtField,
            Freshness freshness,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> tags,
            List<SourceTableEntry> tables,
            Map<String, Object> meta) {
        public SourceEntry {
            tables = orEmpty(tables);
            tags = orEmpty(tags);
        }
    }

    /**
     * One table of a source. {@code ingest} says how soma-ingest loads it; the engine keeps it
     * opaque and never reads it (soma-ingest reads and validates that block itself).
     */
    public record SourceTableEntry(
            String name,
            String identifier,
            String description,
            @JsonProperty("loaded_at_field") String loadedAtField,
            Freshness freshness,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> tags,
            List<ColumnEntry> columns,
            @JsonAlias("data_tests") List<TestEntry> tests,
            Map<String, Object> meta,
            Object ingest) {
        public SourceTableEntry {
            columns = orEmpty(columns);
            tests = orEmpty(tests);
            tags = orEmpty(tags);
        }
    }

    /**
     * Source freshness: how old the newest {@code loaded_at_field} may be.
     *
     * @param filter an optional SQL condition restricting the rows looked at
     */
    public record Freshness(@JsonProperty("warn_after") Period warnAfter,
                            @JsonProperty("error_after") Period errorAfter,
                            String filter) {
    }

    /** {@code {count: 2, period: day}}; periods: minute, hour, day. */
    public record Period(Integer count, String period) {
    }

    /** Absent lists read as empty, so no reader checks for {@code null}. */
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
