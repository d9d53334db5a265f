package dev.soma.models.internal.project;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code soma_project.yml}.
 *
 * @param name          the project's name (letters, digits, underscores)
 * @param version       the project's version, free text
 * @param description   what the project is for
 * @param vars          default values for {@code var(...)}; {@code --vars} overrides them
 * @param models        folder defaults for models
 * @param seeds         folder defaults for seeds
 * @param tests         folder defaults for tests (severity, store_failures, …)
 * @param targets       named databases to run against
 * @param defaultTarget the target used without {@code --target}
 * @param onRunStart    SQL templates run before every run
 * @param onRunEnd      SQL templates run after every run
 * @param targetPath    where compiled SQL and artifacts go, relative to the project (default {@code target})
 */
public record ProjectFile(
        String name,
        String version,
        String description,
        Map<String, Object> vars,
        FolderConfig models,
        FolderConfig seeds,
        FolderConfig tests,
        Map<String, TargetConfig> targets,
        @JsonProperty("default_target") String defaultTarget,
        @JsonProperty("on_run_start") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> onRunStart,
        @JsonProperty("on_run_end") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> onRunEnd,
        @JsonProperty("target_path") String targetPath) {

    public ProjectFile {
        vars = vars == null ? Map.of() : vars;
        models = models == null ? FolderConfig.EMPTY : models;
        seeds = seeds == null ? FolderConfig.EMPTY : seeds;
        tests = tests == null ? FolderConfig.EMPTY : tests;
        targets = targets == null ? Map.of() : targets;
        onRunStart = onRunStart == null ? List.of() : onRunStart;
        onRunEnd = onRunEnd == null ? List.of() : onRunEnd;
        targetPath = targetPath == null ? "target" : targetPath;
    }

    /**
     * A database to run against, on one engine.
     *
     * @param engine   which engine ({@code duckdb}, the default; {@code spark}: docs/engines.md)
     * @param database path of the DuckDB file, relative to the project folder, or {@code :memory:}
     * @param threads  worker connections (default 4)
     * @param publish  whether {@code build} on this target writes, audits and publishes by default
     *                 (docs/publishing.md); {@code null}: no
     * @param options  every other key, the engine's own (DuckDB: {@code settings}, applied on open, e.g.
     *                 {@code {memory_limit: 4GB}}); the engine's provider says which keys it takes
     */
    public record TargetConfig(String engine, String database, Integer threads, Boolean publish,
                               @JsonAnySetter Map<String, Object> options) {
        public TargetConfig {
            options = options == null ? new LinkedHashMap<>() : options;
        }
    }
}
