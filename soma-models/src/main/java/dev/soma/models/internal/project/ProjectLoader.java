package dev.soma.models.internal.project;

import dev.soma.core.text.Checksums;
import dev.soma.core.text.Suggestions;
import dev.soma.models.api.Relation;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.SchemaFile.ModelEntry;
import dev.soma.models.internal.project.SchemaFile.SourceEntry;
import dev.soma.models.internal.project.SchemaFile.SourceTableEntry;
import dev.soma.models.internal.template.ReferenceScanner;
import dev.soma.models.internal.template.UnknownReference;
import dev.soma.models.api.ProjectWarning;
import dev.soma.models.internal.template.TemplateEngine;
import dev.soma.models.internal.template.TemplateOwner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.soma.models.internal.window.WindowSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Loads a project directory into a {@link Project}: reads {@code soma_project.yml} and every YAML,
 * SQL, macro and seed file, renders each model once to learn its references and in-file config,
 * resolves config (model file &gt; model YAML &gt; folder default &gt; project default) and validates it.
 *
 * <p>The one owner of loading: it reads each file once and hands the parsed YAML to
 * {@link TestDeclarations} for the tests, so a loaded project is complete. Needs no database.
 * Thread-safe; each {@link #load} reads the files afresh, parsing on the executor it was given.
 */
public final class ProjectLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectLoader.class);

    /** The project file's name. */
    public static final String PROJECT_FILE = "soma_project.yml";
    /** Top-level folders that hold something other than models. */
    private static final Set<String> SPECIAL_FOLDERS = Set.of("macros", "seeds", "tests", "analyses", "logs");
    private static final Pattern PROJECT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String DEFAULT_SCHEMA = "main";

    private final YamlReader yaml = new YamlReader();
    private final Executor executor;
    private final boolean partialParse;
    private final Path targetDir;
    private final AtomicInteger rendered = new AtomicInteger();

    /**
     * A loader that renders every model on every load (no parse cache).
     *
     * @param executor runs parsing and rendering in parallel; owned by the caller (a {@code Soma})
     */
    public ProjectLoader(Executor executor) {
        this(executor, false, null);
    }

    /**
     * @param executor     runs parsing and rendering in parallel; owned by the caller (a {@code Soma})
     * @param partialParse keep what rendering found in {@code target/partial_parse.bin} and reuse it for
     *                     models whose text, macros and vars are unchanged (see {@link ParseCache})
     * @param targetDir    where the cache lives; {@code null}: the project's {@code target_path}
     */
    public ProjectLoader(Executor executor, boolean partialParse, Path targetDir) {
        this.executor = executor;
        this.partialParse = partialParse;
        this.targetDir = targetDir;
    }

    /** How many models this loader has rendered so far (the rest came from the parse cache). */
    int rendered() {
        return rendered.get();
    }

    /**
     * Loads the project at {@code root}.
     *
     * @param varOverrides vars from the command line or the builder, over the project's own
     * @throws ProjectException for anything wrong with the files, naming file and line
     */
    public Project load(Path root, Map<String, Object> varOverrides) {
        Path projectRoot = root.toAbsolutePath().normalize();
        Path projectFilePath = projectRoot.resolve(PROJECT_FILE);
        if (!Files.isRegularFile(projectFilePath)) {
            throw new ProjectException(null, "no " + PROJECT_FILE + " in " + root
                    + "; pass the project folder with --project-dir (the one holding " + PROJECT_FILE + ")");
        }
        ProjectFile settings = yaml.read(PROJECT_FILE, read(projectRoot, PROJECT_FILE), ProjectFile.class);
        if (settings == null || settings.name() == null) {
            throw new ProjectException(SourceLocation.of(PROJECT_FILE, 1),
                    "the project needs a name; add a line such as 'name: my_project'");
        }
        if (!PROJECT_NAME.matcher(settings.name()).matches()) {
            throw new ProjectException(SourceLocation.of(PROJECT_FILE, lineOf(read(projectRoot, PROJECT_FILE), "name", settings.name())),
                    "project name '" + settings.name() + "' must be letters, digits and underscores, not starting with a digit");
        }

        ProjectFiles files = scan(projectRoot, settings.targetPath());
        Map<String, String> texts = new HashMap<>();
        for (String path : files.models) {
            texts.put(path, read(projectRoot, path));
        }
        for (String path : files.macros) {
            texts.put(path, read(projectRoot, path));
        }

        Map<String, String> modelPaths = uniqueNames(files.models, ".sql", "model");
        Map<String, String> seedPaths = uniqueNames(files.seeds, ".csv", "seed");
        for (String name : seedPaths.keySet()) {
            if (modelPaths.containsKey(name)) {
                throw new ProjectException(SourceLocation.of(seedPaths.get(name)), "seed '" + name + "' has the same name as model "
                        + modelPaths.get(name) + "; ref() could not tell them apart: rename one");
            }
        }

        Schemas schemas = readSchemas(settings.name(), projectRoot, files.yaml, modelPaths, seedPaths);
        Map<String, Object> vars = new LinkedHashMap<>(settings.vars());
        vars.putAll(varOverrides);
        VarResolver varResolver = new VarResolver(vars);
        TemplateEngine templates = new TemplateEngine(projectRoot, texts, files.macros);
        ParseCache cache = parseCache(projectRoot, settings, files.macros, texts);

        Set<String> refNames = new LinkedHashSet<>(modelPaths.keySet());
        refNames.addAll(seedPaths.keySet());

        Map<String, ModelNode> models = new TreeMap<>();
        Map<String, String> disabled = new HashMap<>();
        List<ProjectWarning> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        List<ModelNode> parsedModels = parseModels(settings, modelPaths, texts, schemas, refNames, templates, varResolver,
                warnings, cache);
        cache.save();
        for (ModelNode model : parsedModels) {
            if (model.config().isEnabled()) {
                models.put(model.name(), model);
            } else {
                disabled.put(model.name(), model.path());
            }
        }
        checkRefsToDisabled(models, disabled);

        Map<String, SeedNode> seeds = new TreeMap<>();
        for (Map.Entry<String, String> entry : seedPaths.entrySet()) {
            SeedNode seed = seed(settings, entry.getKey(), entry.getValue(), schemas.seeds.get(entry.getKey()));
            if (seed.config().isEnabled()) {
                seeds.put(seed.name(), seed);
            }
        }
        checkFolderConfig(settings.models(), projectRoot, "models");
        checkUniqueRelations(models, seeds, schemas.sources);

        Project project = new Project(projectRoot, settings, Map.copyOf(vars), Map.copyOf(models), Map.copyOf(seeds),
                Map.copyOf(schemas.sources), Map.of(), templates, sorted(warnings));
        return TestDeclarations.attach(new LoadedProject(project, files.singularTests, files.genericTests, schemas.files));
    }

    private ParseCache parseCache(Path projectRoot, ProjectFile settings, List<String> macros, Map<String, String> texts) {
        if (!partialParse || projectRoot.getFileSystem() != FileSystems.getDefault()) {
            return ParseCache.disabled();
        }
        Map<String, String> macroTexts = new HashMap<>();
        macros.forEach(path -> macroTexts.put(path, texts.get(path)));
        Path dir = targetDir != null ? targetDir : projectRoot.resolve(settings.targetPath());
        return ParseCache.open(dir, projectRoot, settings.name(), macroTexts);
    }

    /** What a parse-time render of a template found: its references and in-file config. */
    record ParsedTemplate(Set<String> refs, Set<String> sources, NodeConfig config) {
    }

    /**
     * Renders {@code template} once in parse mode, for a later stage (tests) that needs its references.
     *
     * @param variables extra top-level variables (a generic test's arguments)
     */
    static ParsedTemplate parseTemplate(Project project, String template, TemplateOwner owner, Map<String, Object> variables) {
        Set<String> refNames = new LinkedHashSet<>(project.refNames());
        ParseContext context = new ParseContext(refNames, project.sources(), new VarResolver(project.vars()));
        project.templates().render(template, owner, context, variables);
        return new ParsedTemplate(Set.copyOf(context.refs()), Set.copyOf(context.sources()), context.config());
    }

    /** A project without tests yet, and the parsed files its tests are declared in. */
    record LoadedProject(Project project, List<String> singularTests, List<String> genericTests,
                                Map<String, SchemaFile> schemaFiles) {
    }

    /**
     * Renders every model once, on all cores: rendering dominates loading a large project. When
     * several models are broken, the error reported is the first by name, whatever the scheduling.
     */
    private List<ModelNode> parseModels(ProjectFile settings, Map<String, String> modelPaths, Map<String, String> texts,
                                        Schemas schemas, Set<String> refNames, TemplateEngine templates, VarResolver vars,
                                        List<ProjectWarning> warnings, ParseCache cache) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(modelPaths.entrySet());
        Object[] parsed = new Object[entries.size()];
        inParallel(entries.size(), i -> {
            String name = entries.get(i).getKey();
            String path = entries.get(i).getValue();
            try {
                parsed[i] = parseModel(settings, name, path, texts.get(path), schemas, refNames, templates, vars, warnings,
                        cache);
            } catch (RuntimeException e) {
                parsed[i] = e;
            }
        });
        List<ModelNode> models = new ArrayList<>(parsed.length);
        for (Object result : parsed) {
            if (result instanceof RuntimeException e) {
                throw e;
            }
            models.add((ModelNode) result);
        }
        return models;
    }

    private ModelNode parseModel(ProjectFile settings, String name, String path, String text, Schemas schemas,
                                 Set<String> refNames, TemplateEngine templates, VarResolver vars,
                                 List<ProjectWarning> warnings, ParseCache cache) {
        String textHash = Checksums.sha256(text);
        ParseCache.Entry entry = cache.lookup(path, textHash, vars.values());
        if (entry == null || !entry.namesUnchanged(refNames, schemas.sources.keySet())) {
            // Not cached, or the names it saw changed: render, which reports what is wrong where it is.
            entry = render(name, path, text, textHash, schemas, refNames, templates, vars);
        }
        cache.record(entry);

        List<String> folders = folders(path);
        ModelEntry yamlEntry = schemas.models.get(name);
        NodeConfig config = settings.models().resolve(folders)
                .overriddenBy(yamlEntry == null ? null : yamlEntry.config())
                .overriddenBy(entry.config());
        validate(name, path, config);
        if (Materialization.WINDOWED.label().equals(config.materialized())) {
            WindowSpec.of(name, path, config);
            if (!entry.windowRead()) {
                ProjectWarning warning = new ProjectWarning(path, name, "windowed model " + name + " never reads "
                        + "${window.start} or ${window.end}, so every window would load every row; filter its source with "
                        + "where <event time> >= ${window.start} and <event time> < ${window.end}");
                warnings.add(warning);
                LOG.debug("{}", warning);
            }
        }
        String schema = config.schema() == null ? DEFAULT_SCHEMA : config.schema();
        String identifier = config.alias() == null ? name : config.alias();
        return new ModelNode("model." + settings.name() + "." + name, name, path, folders, config,
                yamlEntry == null ? null : yamlEntry.description(), yamlEntry == null ? List.of() : yamlEntry.columns(),
                schemas.modelFiles.get(name), Set.copyOf(entry.refs()), Set.copyOf(entry.sources()),
                new Relation(schema, identifier), textHash);
    }

    /** Renders a model in parse mode and scans its text: its refs and sources, in-file config and the vars it read. */
    private ParseCache.Entry render(String name, String path, String text, String textHash, Schemas schemas,
                                    Set<String> refNames, TemplateEngine templates, VarResolver vars) {
        rendered.incrementAndGet();
        ParseContext context = new ParseContext(refNames, schemas.sources, vars);
        templates.render(path, TemplateOwner.model(name), context);

        Set<String> refs = new LinkedHashSet<>(context.refs());
        for (ReferenceScanner.Found found : ReferenceScanner.refs(text)) {
            if (!refNames.contains(found.name())) {
                UnknownReference unknown = UnknownReference.ref(found.name(), refNames);
                throw new UnknownNodeException(new SourceLocation(path, found.line(), found.column()),
                        unknown.problem() + " (in model " + name + ")", found.name(), unknown.suggestion());
            }
            refs.add(found.name());
        }
        Set<String> sources = new LinkedHashSet<>(context.sources());
        for (ReferenceScanner.Found found : ReferenceScanner.sources(text)) {
            String key = found.name() + "." + found.table();
            if (!schemas.sources.containsKey(key)) {
                UnknownReference unknown = UnknownReference.source(found.name(), found.table(), schemas.sources.keySet());
                throw new UnknownNodeException(new SourceLocation(path, found.line(), found.column()),
                        unknown.problem() + " (in model " + name + ")", key, unknown.suggestion());
            }
            sources.add(key);
        }
        return new ParseCache.Entry(path, textHash, Set.copyOf(refs), Set.copyOf(sources), ParseCache.normalized(context.config()),
                context.windowRead(), Map.copyOf(context.varsRead()), Set.copyOf(context.absentRefs()),
                Set.copyOf(context.absentSources()));
    }

    /**
     * Runs {@code work} for 0..count-1 on the executor, in as many slices as there are cores, and waits.
     * {@code work} must not throw: callers keep each item's failure to report the first in order.
     */
    private void inParallel(int count, IntConsumer work) {
        int slices = Math.min(count, Runtime.getRuntime().availableProcessors());
        if (slices <= 1) {
            for (int i = 0; i < count; i++) {
                work.accept(i);
            }
            return;
        }
        CompletableFuture<?>[] running = new CompletableFuture<?>[slices];
        for (int s = 0; s < slices; s++) {
            int slice = s;
            running[s] = CompletableFuture.runAsync(() -> {
                for (int i = slice; i < count; i += slices) {
                    work.accept(i);
                }
            }, executor);
        }
        try {
            CompletableFuture.allOf(running).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
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
        if (config.severity() != null && Severity.ofLabel(config.severity()).isEmpty()) {
            throw new ProjectException(at, "model " + name + " has severity '" + config.severity()
                    + "'; severity is warn or error");
        }
    }

    private SeedNode seed(ProjectFile settings, String name, String path, ModelEntry entry) {
        List<String> folders = folders(path.substring("seeds/".length()));
        NodeConfig config = settings.seeds().resolve(folders).overriddenBy(entry == null ? null : entry.config());
        String schema = config.schema() == null ? DEFAULT_SCHEMA : config.schema();
        String identifier = config.alias() == null ? name : config.alias();
        return new SeedNode("seed." + settings.name() + "." + name, name, path, folders, config,
                entry == null ? null : entry.description(), entry == null ? List.of() : entry.columns(),
                new Relation(schema, identifier), null);
    }

    /** In model (file) order, whatever order the parallel parse found them in. */
    private static List<ProjectWarning> sorted(List<ProjectWarning> warnings) {
        synchronized (warnings) {
            return warnings.stream().sorted(java.util.Comparator.comparing(ProjectWarning::file)).toList();
        }
    }

    private static void checkRefsToDisabled(Map<String, ModelNode> models, Map<String, String> disabled) {
        for (ModelNode model : models.values()) {
            for (String ref : model.refs()) {
                if (disabled.containsKey(ref)) {
                    throw new ProjectException(SourceLocation.of(model.path()), "model " + model.name() + " refs "
                            + ref + ", which is disabled (enabled: false in " + disabled.get(ref)
                            + " or its config); enable it or remove the ref");
                }
            }
        }
    }

    private static void checkFolderConfig(FolderConfig config, Path root, String section) {
        for (FolderConfig.FolderPath folder : config.folderPaths()) {
            Path dir = root.resolve(String.join("/", folder.folders()));
            if (!Files.isDirectory(dir)) {
                Path parent = dir.getParent();
                List<String> siblings = new ArrayList<>();
                try (var list = Files.list(parent)) {
                    list.filter(Files::isDirectory).forEach(p -> siblings.add(p.getFileName().toString()));
                } catch (IOException e) {
                    // no siblings to suggest
                }
                String last = folder.folders().get(folder.folders().size() - 1);
                LOG.warn("{}: {}.{} configures folder {}/, which does not exist{}; a key under {}: is a config key "
                                + "or the name of a model folder", new SourceLocation(PROJECT_FILE, folder.line(), 0), section,
                        String.join(".", folder.folders()), String.join("/", folder.folders()),
                        Suggestions.didYouMean(last, siblings), section);
            }
        }
    }

    private static void checkUniqueRelations(Map<String, ModelNode> models, Map<String, SeedNode> seeds,
                                             Map<String, SourceNode> sources) {
        Map<String, String> owners = new HashMap<>();
        for (SourceNode source : sources.values()) {
            owners.put(source.relation().toString().toLowerCase(java.util.Locale.ROOT), "source " + source.name());
        }
        List<Node> built = new ArrayList<>(models.values());
        built.addAll(seeds.values());
        for (Node node : built) {
            if (node instanceof ModelNode model && model.isEphemeral()) {
                continue;
            }
            String key = node.relation().toString().toLowerCase(java.util.Locale.ROOT);
            String previous = owners.putIfAbsent(key, node.resourceType().label() + " " + node.name());
            if (previous != null) {
                throw new ProjectException(SourceLocation.of(node.path()), node.resourceType().label() + " " + node.name()
                        + " would build " + node.relation() + ", which " + previous
                        + " already uses; give one of them another schema or alias");
            }
        }
    }

    /** Reads every YAML file beside the models: model entries, seed entries and sources. */
    private Schemas readSchemas(String projectName, Path root, List<String> yamlFiles, Map<String, String> modelPaths, Map<String, String> seedPaths) {
        Schemas schemas = new Schemas();
        // Parsing YAML is a tenth of loading a large project: parse on all cores, then merge in file order.
        String[] texts = new String[yamlFiles.size()];
        Object[] parsed = new Object[yamlFiles.size()];
        inParallel(yamlFiles.size(), i -> {
            try {
                texts[i] = read(root, yamlFiles.get(i));
                parsed[i] = yaml.read(yamlFiles.get(i), texts[i], SchemaFile.class);
            } catch (RuntimeException e) {
                parsed[i] = e;
            }
        });
        for (int i = 0; i < yamlFiles.size(); i++) {
            if (parsed[i] instanceof RuntimeException e) {
                throw e;
            }
            String file = yamlFiles.get(i);
            String text = texts[i];
            SchemaFile schema = (SchemaFile) parsed[i];
            if (schema == null) {
                continue;
            }
            schemas.files.put(file, schema);
            for (ModelEntry entry : schema.models()) {
                String name = requireName(entry.name(), file, text, "models");
                if (!modelPaths.containsKey(name)) {
                    throw new UnknownNodeException(SourceLocation.of(file, lineOf(text, "name", name)),
                            "models entry '" + name + "' matches no model file (no " + name + ".sql in the project)"
                                    + Suggestions.didYouMean(name, modelPaths.keySet()), name,
                            Suggestions.closest(name, modelPaths.keySet()).orElse(null));
                }
                String previous = schemas.modelFiles.putIfAbsent(name, file);
                if (previous != null) {
                    throw new ProjectException(SourceLocation.of(file, lineOf(text, "name", name)),
                            "model " + name + " is documented twice, here and in " + previous + "; keep one entry");
                }
                schemas.models.put(name, entry);
            }
            for (ModelEntry entry : schema.seeds()) {
                String name = requireName(entry.name(), file, text, "seeds");
                if (!seedPaths.containsKey(name)) {
                    throw new UnknownNodeException(SourceLocation.of(file, lineOf(text, "name", name)),
                            "seeds entry '" + name + "' matches no seed file (no seeds/" + name + ".csv)"
                                    + Suggestions.didYouMean(name, seedPaths.keySet()), name, null);
                }
                schemas.seeds.put(name, entry);
            }
            for (SourceEntry source : schema.sources()) {
                String sourceName = requireName(source.name(), file, text, "sources");
                for (SourceTableEntry table : source.tables()) {
                    String tableName = requireName(table.name(), file, text, "sources." + sourceName + ".tables");
                    String key = sourceName + "." + tableName;
                    int line = lineOf(text, "name", tableName);
                    if (schemas.sources.containsKey(key)) {
                        throw new ProjectException(SourceLocation.of(file, line),
                                "source table " + key + " is declared twice (also in " + schemas.sources.get(key).path()
                                        + "); keep one declaration");
                    }
                    String schemaName = source.schema() == null ? sourceName : source.schema();
                    String identifier = table.identifier() == null ? tableName : table.identifier();
                    List<String> tags = new ArrayList<>(source.tags());
                    tags.addAll(table.tags());
                    schemas.sources.put(key, new SourceNode("source." + projectName + "." + key, sourceName, tableName, file, line,
                            new Relation(schemaName, identifier), table.description(), table.columns(),
                            table.loadedAtField() != null ? table.loadedAtField() : source.loadedAtField(),
                            table.freshness() != null ? table.freshness() : source.freshness(), List.copyOf(tags)));
                }
            }
        }
        return schemas;
    }

    private static String requireName(String name, String file, String text, String section) {
        if (name == null || name.isBlank()) {
            throw new ProjectException(SourceLocation.of(file), "an entry under " + section + ": has no name; add 'name: <name>'");
        }
        return name;
    }

    /** What the YAML files say, gathered. */
    private static final class Schemas {
        final Map<String, SchemaFile> files = new LinkedHashMap<>();
        final Map<String, ModelEntry> models = new HashMap<>();
        final Map<String, String> modelFiles = new HashMap<>();
        final Map<String, ModelEntry> seeds = new HashMap<>();
        final Map<String, SourceNode> sources = new TreeMap<>();
    }

    private static Map<String, String> uniqueNames(List<String> paths, String extension, String kind) {
        Map<String, String> byName = new TreeMap<>();
        for (String path : paths) {
            String file = path.substring(path.lastIndexOf('/') + 1);
            String name = file.substring(0, file.length() - extension.length());
            String previous = byName.putIfAbsent(name, path);
            if (previous != null) {
                throw new ProjectException(SourceLocation.of(path), "two " + kind + "s are called " + name + ": "
                        + previous + " and " + path + "; " + kind + " names must be unique across folders: rename one");
            }
        }
        return byName;
    }

    /** The files of a project, by role, as sorted project-relative paths. */
    private record ProjectFiles(List<String> models, List<String> yaml, List<String> macros, List<String> seeds,
                         List<String> singularTests, List<String> genericTests) {
    }

    private static ProjectFiles scan(Path root, String targetPath) {
        List<String> models = new ArrayList<>();
        List<String> yaml = new ArrayList<>();
        List<String> macros = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        List<String> singular = new ArrayList<>();
        List<String> generic = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = dir.getFileName().toString();
                    String relative = relative(root, dir);
                    if (name.startsWith(".") || relative.equals(targetPath) || name.equals("target")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String relative = relative(root, file);
                    String top = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "";
                    String name = file.getFileName().toString();
                    if (name.startsWith(".")) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (top.equals("macros")) {
                        if (name.endsWith(".ftl")) {
                            macros.add(relative);
                        }
                    } else if (top.equals("seeds")) {
                        if (name.endsWith(".csv")) {
                            seeds.add(relative);
                        } else if (isYaml(name)) {
                            yaml.add(relative);
                        }
                    } else if (top.equals("tests")) {
                        if (name.endsWith(".sql")) {
                            (relative.startsWith("tests/generic/") ? generic : singular).add(relative);
                        } else if (isYaml(name)) {
                            yaml.add(relative);
                        }
                    } else if (SPECIAL_FOLDERS.contains(top)) {
                        return FileVisitResult.CONTINUE;
                    } else if (name.endsWith(".sql")) {
                        models.add(relative);
                    } else if (isYaml(name) && !relative.equals(PROJECT_FILE)) {
                        yaml.add(relative);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ProjectException(null, "cannot read project folder " + root + ": " + e.getMessage(), e);
        }
        for (List<String> list : List.of(models, yaml, macros, seeds, singular, generic)) {
            list.sort(null);
        }
        return new ProjectFiles(models, yaml, macros, seeds, singular, generic);
    }

    private static boolean isYaml(String name) {
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The folders of a project-relative path, outermost first: {@code marts/finance/x.sql} gives [marts, finance]. */
    public static List<String> folders(String path) {
        List<String> folders = new ArrayList<>(List.of(path.split("/")));
        folders.remove(folders.size() - 1);
        return List.copyOf(folders);
    }

    static String read(Path root, String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProjectException(SourceLocation.of(relative), "cannot read file: " + e.getMessage(), e);
        }
    }

    /** The 1-based line of {@code key: value} in YAML text, or 0; for messages about an entry. */
    static int lineOf(String text, String key, String value) {
        Matcher matcher = Pattern.compile("^\\s*-?\\s*" + Pattern.quote(key) + "\\s*:\\s*[\"']?" + Pattern.quote(value)
                + "[\"']?\\s*(#.*)?$", Pattern.MULTILINE).matcher(text);
        if (!matcher.find()) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < matcher.start(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
