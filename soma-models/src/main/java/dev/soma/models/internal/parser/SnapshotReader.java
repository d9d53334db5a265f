package dev.soma.models.internal.parser;

import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.SchemaFile.SnapshotConfig;
import dev.soma.models.internal.project.SchemaFile.SnapshotEntry;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.SnapshotNode.HardDeletes;
import dev.soma.models.internal.project.SnapshotNode.SnapshotStrategy;
import dev.soma.models.internal.project.SourceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads snapshots: the {@code snapshots:} section of any YAML file, in dbt 1.9's form (a {@code relation}
 * and a {@code config} of strategy, unique_key, updated_at or check_cols, dbt_valid_to_current and
 * hard_deletes). Checks each entry's config where it is written, then, once models, seeds and sources
 * are known, that the relation it reads exists.
 */
final class SnapshotReader implements YamlFile.SectionReader {

    private static final Pattern REF = Pattern.compile("^ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)$");
    private static final Pattern SOURCE = Pattern.compile(
            "^source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)$");
    private static final List<String> STRATEGIES = List.of("timestamp", "check");
    private static final List<String> HARD_DELETES = List.of("ignore", "invalidate", "new_record");

    private final String projectName;
    private final Map<String, Declared> declared = new LinkedHashMap<>();

    SnapshotReader(String projectName) {
        this.projectName = projectName;
    }

    /** An entry as read, with where it was read, before its relation is resolved. */
    private record Declared(SnapshotEntry entry, YamlFile file, SourceLocation at, String ref, String source) {
    }

    @Override
    public void readYaml(YamlFile file) {
        for (SnapshotEntry entry : file.schema().snapshots()) {
            String name = file.requireName(entry.name(), "snapshots");
            SourceLocation at = file.at(name);
            Declared previous = declared.get(name);
            if (previous != null) {
                throw new ProjectException(at, "snapshot " + name + " is declared twice (also in " + previous.file().path()
                        + "); keep one declaration");
            }
            checkConfig(name, entry.config(), file, at);
            String relation = entry.relation() == null ? "" : stripBraces(entry.relation());
            Matcher ref = REF.matcher(relation);
            Matcher source = SOURCE.matcher(relation);
            if (ref.matches()) {
                declared.put(name, new Declared(entry, file, at, ref.group(1), null));
            } else if (source.matches()) {
                declared.put(name, new Declared(entry, file, at, null, source.group(1) + "." + source.group(2)));
            } else {
                throw new ProjectException(lineOf(file, "relation", entry.relation(), at), "snapshot " + name
                        + (entry.relation() == null ? " has no relation" : " has relation '" + entry.relation() + "'")
                        + "; write relation: ref('model') or relation: source('source', 'table')");
            }
        }
    }

    /** The names of the snapshots read, which {@code ref()} accepts. */
    Set<String> names() {
        return declared.keySet();
    }

    /**
     * The snapshots by name, their relations resolved.
     *
     * @param refNames models and seeds by name (what {@code ref()} may name besides snapshots)
     * @throws ProjectException for a snapshot reading an unknown node, or named like a model or seed
     */
    Map<String, SnapshotNode> read(Set<String> refNames, Map<String, SourceNode> sources) {
        Map<String, SnapshotNode> snapshots = new TreeMap<>();
        for (Map.Entry<String, Declared> item : declared.entrySet()) {
            String name = item.getKey();
            Declared d = item.getValue();
            if (refNames.contains(name)) {
                throw new ProjectException(d.at(), "snapshot " + name + " has the name of a model or seed, so ref('"
                        + name + "') would be ambiguous; rename the snapshot");
            }
            SnapshotConfig config = d.entry().config();
            if (!config.isEnabledOrDefault()) {
                continue;
            }
            if (d.ref() != null && !refNames.contains(d.ref()) && !declared.containsKey(d.ref())) {
                List<String> known = new ArrayList<>(refNames);
                throw new UnknownNodeException(lineOf(d.file(), "relation", d.entry().relation(), d.at()), "snapshot " + name
                        + " reads ref('" + d.ref() + "'), which is no model, seed or snapshot"
                        + Suggestions.didYouMean(d.ref(), known), d.ref(), Suggestions.closest(d.ref(), known).orElse(null));
            }
            if (d.source() != null && !sources.containsKey(d.source())) {
                throw new UnknownNodeException(lineOf(d.file(), "relation", d.entry().relation(), d.at()), "snapshot " + name
                        + " reads source " + d.source() + ", which no sources: entry declares"
                        + Suggestions.didYouMean(d.source(), sources.keySet()), d.source(),
                        Suggestions.closest(d.source(), sources.keySet()).orElse(null));
            }
            snapshots.put(name, node(name, d));
        }
        return snapshots;
    }

    private SnapshotNode node(String name, Declared d) {
        SnapshotConfig c = d.entry().config();
        String schema = c.schema() != null ? c.schema() : c.targetSchema();
        NodeConfig config = new NodeConfig("snapshot", schema, c.alias(), c.tags(), c.uniqueKey(), null, null, null, null,
                c.enabled(), null, null, c.meta(), null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        SnapshotStrategy strategy = SnapshotStrategy.valueOf(c.strategy().toUpperCase(Locale.ROOT));
        List<String> checkCols = strategy == SnapshotStrategy.CHECK && !isAll(c.checkCols()) ? c.checkCols() : List.of();
        return new SnapshotNode("snapshot." + projectName + "." + name, name, d.file().path(), d.at().line(),
                ProjectFiles.folders(d.file().path()), c, config, d.entry().description(), d.entry().columns(), d.ref(),
                d.source(), config.relation(name), strategy, c.uniqueKeyColumns(), c.updatedAt(), checkCols,
                c.dbtValidToCurrent(), hardDeletes(c));
    }

    private static void checkConfig(String name, SnapshotConfig config, YamlFile file, SourceLocation at) {
        String strategy = config.strategy();
        if (strategy == null) {
            throw new ProjectException(at, "snapshot " + name + " has no strategy; add config: {strategy: timestamp, "
                    + "updated_at: <column>} or {strategy: check, check_cols: all}");
        }
        if (!STRATEGIES.contains(strategy.toLowerCase(Locale.ROOT))) {
            throw new ProjectException(lineOf(file, "strategy", strategy, at), "snapshot " + name + " has unknown strategy '"
                    + strategy + "'" + Suggestions.didYouMean(strategy, STRATEGIES) + "; use timestamp or check");
        }
        if (config.uniqueKeyColumns().isEmpty()) {
            throw new ProjectException(at, "snapshot " + name + " has no unique_key; add unique_key: <column> "
                    + "(or a list of columns) to its config");
        }
        if (strategy.equalsIgnoreCase("timestamp") && (config.updatedAt() == null || config.updatedAt().isBlank())) {
            throw new ProjectException(lineOf(file, "strategy", strategy, at), "snapshot " + name
                    + " uses strategy timestamp, which needs updated_at; add updated_at: <column> to its config");
        }
        if (strategy.equalsIgnoreCase("check") && (config.checkCols() == null || config.checkCols().isEmpty())) {
            throw new ProjectException(lineOf(file, "strategy", strategy, at), "snapshot " + name
                    + " uses strategy check, which needs check_cols; add check_cols: all (or a list of columns) to its config");
        }
        if (config.checkCols() != null && config.checkCols().size() > 1 && config.checkCols().contains("all")) {
            throw new ProjectException(at, "snapshot " + name + " has check_cols with 'all' in a list; write check_cols: all "
                    + "or list the columns");
        }
        String hardDeletes = config.hardDeletes();
        if (hardDeletes != null && !HARD_DELETES.contains(hardDeletes.toLowerCase(Locale.ROOT))) {
            throw new ProjectException(lineOf(file, "hard_deletes", hardDeletes, at), "snapshot " + name
                    + " has unknown hard_deletes '" + hardDeletes + "'" + Suggestions.didYouMean(hardDeletes, HARD_DELETES)
                    + "; use ignore, invalidate or new_record");
        }
    }

    private static HardDeletes hardDeletes(SnapshotConfig config) {
        if (config.hardDeletes() != null) {
            return HardDeletes.valueOf(config.hardDeletes().toUpperCase(Locale.ROOT));
        }
        return Boolean.TRUE.equals(config.invalidateHardDeletes()) ? HardDeletes.INVALIDATE : HardDeletes.IGNORE;
    }

    private static boolean isAll(List<String> checkCols) {
        return checkCols.size() == 1 && checkCols.get(0).equalsIgnoreCase("all");
    }

    /** dbt writes {@code relation: ref('x')}; {@code "{{ ref('x') }}"} reads the same. */
    private static String stripBraces(String relation) {
        String text = relation.strip();
        if (text.startsWith("{{") && text.endsWith("}}")) {
            text = text.substring(2, text.length() - 2).strip();
        }
        return text;
    }

    private static SourceLocation lineOf(YamlFile file, String key, String value, SourceLocation fallback) {
        int line = value == null ? 0 : file.lineOf(key, value);
        return line > 0 ? SourceLocation.of(file.path(), line) : fallback;
    }
}
