package dev.soma.models.internal.parser;

import dev.soma.core.text.Checksums;
import dev.soma.core.text.Suggestions;
import dev.soma.models.api.ProjectWarning;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.IncrementalStrategy;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.ProjectFile;
import dev.soma.models.internal.project.SchemaFile.ModelEntry;
import dev.soma.models.internal.project.Severity;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.VarResolver;
import dev.soma.models.internal.template.TemplateEngine;
import dev.soma.models.internal.window.WindowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads models: every {@code .sql} file outside {@code macros/}, {@code seeds/} and {@code tests/}, the
 * {@code models:} entries of the YAML files, and their config (model file's {@code <@config/>} &gt;
 * model YAML &gt; folder default &gt; project default), which it validates. Renders each model once,
 * on all cores, unless the {@link ParseCache} knows the file unchanged.
 */
final class ModelReader implements YamlFile.SectionReader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelReader.class);

    private final ProjectFile settings;
    private final Map<String, String> paths;
    private final Map<String, String> texts;
    /** The folder holding the models ({@code models}, dbt's layout), or {@code null}: see {@link ProjectFiles#modelPath}. */
    private final String modelPath;
    private final Map<String, ModelEntry> entries = new HashMap<>();
    private final Map<String, String> yamlFiles = new HashMap<>();
    private final Map<String, YamlFile> yamlEntries = new HashMap<>();
    private final List<ProjectWarning> warnings = Collections.synchronizedList(new ArrayList<>());

    /** @param texts the text of every model file, by path */
    ModelReader(ProjectFile settings, List<String> files, Map<String, String> texts) {
        this.settings = settings;
        this.paths = ProjectFiles.byName(files, "model");
        this.modelPath = ProjectFiles.modelPath(files);
        this.texts = texts;
    }

    /** Model files by model name, sorted. */
    Map<String, String> paths() {
        return paths;
    }

    @Override
    public void readYaml(YamlFile file) {
        for (ModelEntry entry : file.schema().models()) {
            String name = file.requireName(entry.name(), "models");
            if (!paths.containsKey(name)) {
                throw new UnknownNodeException(file.at(name), "models entry '" + name + "' matches no model file (no "
                        + name + ".sql in the project)" + Suggestions.didYouMean(name, paths.keySet()), name,
                        Suggestions.closest(name, paths.keySet()).orElse(null));
            }
            String previous = yamlFiles.putIfAbsent(name, file.path());
            if (previous != null) {
                throw new ProjectException(file.at(name),
                        "model " + name + " is documented twice, here and in " + previous + "; keep one entry");
            }
            entries.put(name, entry);
            yamlEntries.put(name, file);
        }
    }

    /**
     * Renders (or finds in {@code cache}) every model, saves the cache, and gives the enabled models by name.
     *
     * @param refNames names {@code ref()} accepts: models and seeds
     * @param rendered counts the models rendered rather than taken from the cache
     * @throws ProjectException for the first broken model by name, or a ref to a disabled model
     */
    Map<String, ModelNode> read(Set<String> refNames, Map<String, SourceNode> sources, TemplateEngine templates,
                                VarResolver vars, ParseCache cache, Parallel parallel, AtomicInteger rendered) {
        List<Map.Entry<String, String>> files = new ArrayList<>(paths.entrySet());
        List<ModelNode> parsed = parallel.map(files.size(), i -> {
            String name = files.get(i).getKey();
            String path = files.get(i).getValue();
            String text = texts.get(path);
            String textHash = Checksums.sha256(text);
            ParseCache.Entry entry = cache.lookup(path, textHash, vars.values());
            if (entry == null || !entry.namesUnchanged(refNames, sources.keySet())) {
                // Not cached, or the names it saw changed: render, which reports what is wrong where it is.
                rendered.incrementAndGet();
                entry = TemplateParser.model(name, path, text, textHash, refNames, sources, templates, vars);
            }
            cache.record(entry);
            return node(name, path, entry);
        });
        cache.save();

        Map<String, ModelNode> models = new TreeMap<>();
        Map<String, String> disabled = new HashMap<>();
        for (ModelNode model : parsed) {
            if (model.config().isEnabled()) {
                models.put(model.name(), model);
            } else {
                disabled.put(model.name(), model.path());
            }
        }
        for (ModelNode model : models.values()) {
            for (String ref : model.refs()) {
                if (disabled.containsKey(ref)) {
                    throw new ProjectException(SourceLocation.of(model.path()), "model " + model.name() + " refs "
                            + ref + ", which is disabled (enabled: false in " + disabled.get(ref)
                            + " or its config); enable it or remove the ref");
                }
            }
        }
        return models;
    }

    /** What loads but is probably a mistake, in model (file) order whatever order the parallel parse found it in. */
    List<ProjectWarning> warnings() {
        synchronized (warnings) {
            return warnings.stream().sorted(Comparator.comparing(ProjectWarning::file)).toList();
        }
    }

    private ModelNode node(String name, String path, ParseCache.Entry parsed) {
        List<String> folders = ProjectFiles.fqnFolders(path, modelPath);
        ModelEntry yamlEntry = entries.get(name);
        NodeConfig config = ProjectFiles.folderConfig(settings.models(), path, modelPath)
                .overriddenBy(yamlEntry == null ? null : yamlEntry.config())
                .overriddenBy(parsed.config());
        validate(name, path, config);
        Materialization materialized = config.materialized() == null ? Materialization.VIEW
                : Materialization.ofLabel(config.materialized()).orElseThrow();
        warnings.addAll(ContractReader.check(name, path, config, materialized, yamlEntry, yamlEntries.get(name)));
        if (Materialization.WINDOWED.label().equals(config.materialized())) {
            WindowSpec.of(name, path, config);
            if (!parsed.windowRead()) {
                ProjectWarning warning = new ProjectWarning(path, name, "windowed model " + name + " never reads "
                        + "${window.start} or ${window.end}, so every window would load every row; filter its source with "
                        + "where <event time> >= ${window.start} and <event time> < ${window.end}");
                warnings.add(warning);
                LOG.debug("{}", warning);
            }
        }
        return new ModelNode("model." + settings.name() + "." + name, name, path, folders, config,
                yamlEntry == null ? null : yamlEntry.description(), yamlEntry == null ? List.of() : yamlEntry.columns(),
                yamlFiles.get(name), Set.copyOf(parsed.refs()), Set.copyOf(parsed.sources()),
                config.relation(name), parsed.textHash(), yamlEntry == null ? List.of() : yamlEntry.constraints());
    }

    private static void validate(String name, String path, NodeConfig config) {
        SourceLocation at = SourceLocation.of(path);
        String materialized = config.materialized();
        if (materialized != null && Materialization.ofLabel(materialized).isEmpty()) {
            throw new ProjectException(at, "model " + name + " has unknown materialization '" + materialized + "'"
                    + Suggestions.didYouMean(materialized, Materialization.labels())
                    + "; use one of " + String.join(", ", Materialization.labels()));
        }
        String strategy = config.incrementalStrategy();
        IncrementalStrategy known = strategy == null ? null : IncrementalStrategy.ofLabel(strategy).orElse(null);
        if (strategy != null && known == null) {
            throw new ProjectException(at, "model " + name + " has unknown incremental_strategy '" + strategy + "'"
                    + Suggestions.didYouMean(strategy, IncrementalStrategy.labels())
                    + "; use one of " + String.join(", ", IncrementalStrategy.labels()));
        }
        if (known != null && known.needsUniqueKey() && config.uniqueKeyColumns().isEmpty()) {
            throw new ProjectException(at, "model " + name + " uses incremental_strategy '" + strategy
                    + "', which needs a unique_key; add unique_key: <column> to its config");
        }
        if (known != null && known.needsPartitionBy() && config.partitionByColumns().isEmpty()) {
            throw new ProjectException(at, "model " + name + " uses incremental_strategy '" + strategy
                    + "', which needs a partition_by; add partition_by: <column> (or a list of columns) to its config");
        }
        if (config.severity() != null && Severity.ofLabel(config.severity()).isEmpty()) {
            throw new ProjectException(at, "model " + name + " has severity '" + config.severity()
                    + "'; severity is warn or error");
        }
    }
}
