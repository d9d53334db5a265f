package dev.soma.models.internal.parser;

import dev.soma.core.concurrent.Completions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.ProjectFile;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.VarResolver;
import dev.soma.models.internal.project.YamlReader;
import dev.soma.models.internal.template.TemplateEngine;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles a {@link Project} from the readers of each node kind, in the order their dependencies
 * need: the project file, then the YAML files (each reader takes its section), then sources, snapshots
 * (which read models, seeds or sources), models (which ref seeds and snapshots and read sources), seeds, and
 * last the data tests and unit tests (which read all of them).
 * Checks what spans kinds: no two nodes build one relation.
 *
 * <p>A new node kind is a new reader here: a {@link YamlFile.SectionReader} if it has a YAML
 * section, added to the list below, and one line that adds its nodes. Thread-safe; each
 * {@link #parse} reads the files afresh.
 */
public final class ProjectParser {

    private final YamlReader yaml = new YamlReader();
    private final Executor executor;
    private final Parallel parallel;
    private final boolean partialParse;
    private final Path targetDir;
    private final AtomicInteger rendered = new AtomicInteger();
    private final AtomicInteger yamlParsed = new AtomicInteger();
    private final AtomicInteger folderWarnings = new AtomicInteger();

    /**
     * @param executor     runs parsing and rendering in parallel; owned by the caller
     * @param partialParse reuse {@code target/partial_parse.bin} for unchanged models (see {@link ParseCache})
     * @param targetDir    where the cache lives; {@code null}: the project's {@code target_path}
     */
    public ProjectParser(Executor executor, boolean partialParse, Path targetDir) {
        this.executor = executor;
        this.parallel = new Parallel(executor);
        this.partialParse = partialParse;
        this.targetDir = targetDir;
    }

    /** How many models this parser has rendered so far (the rest came from the parse cache). */
    public int rendered() {
        return rendered.get();
    }

    /** How many YAML files this parser has parsed so far (the rest came from the parse cache). */
    public int yamlParsed() {
        return yamlParsed.get();
    }

    /** How many warnings about folder blocks naming no folder this parser has logged (they go to the log only). */
    public int folderWarnings() {
        return folderWarnings.get();
    }

    /**
     * Reads the project at {@code root}.
     *
     * @param varOverrides vars from the command line or the builder, over the project's own
     * @throws ProjectException for anything wrong with the files, naming file and line
     */
    public Project parse(Path root, Map<String, Object> varOverrides) {
        return parse(root, varOverrides, (projectRoot, settings) -> { });
    }

    /**
     * As {@link #parse(Path, Map)}, telling {@code settingsRead} the project's absolute folder and its project file as
     * soon as that is read, before the other files: what the caller can start meanwhile (open the database).
     */
    public Project parse(Path root, Map<String, Object> varOverrides, BiConsumer<Path, ProjectFile> settingsRead) {
        Path projectRoot = root.toAbsolutePath().normalize();
        ProjectFile settings = ProjectFileReader.read(root, projectRoot, yaml);
        settingsRead.accept(projectRoot, settings);
        ProjectFiles files = ProjectFiles.scan(projectRoot, settings.targetPath());
        // The model files are read on one of the loader's threads while this one opens the parse cache and parses
        // the YAML (10,000 files: 0.2 s of system calls, a fifth of the load).
        CompletableFuture<Map<String, String>> modelTexts = CompletableFuture.supplyAsync(() -> {
            Map<String, String> read = new HashMap<>();
            for (String path : files.models()) {
                read.put(path, ProjectFiles.read(projectRoot, path));
            }
            return read;
        }, executor);
        Map<String, String> texts = new HashMap<>();
        for (String path : files.macros()) {
            texts.put(path, ProjectFiles.read(projectRoot, path));
        }

        ModelReader models = new ModelReader(settings, files.models(), texts);
        SeedReader seeds = new SeedReader(settings, files.seeds(), models.paths());
        SourceReader sources = new SourceReader(settings.name());
        UnitTestReader unitTests = new UnitTestReader();
        SnapshotReader snapshots = new SnapshotReader(settings.name());
        ParseCache cache = parseCache(projectRoot, settings, files.macros(), texts);
        List<YamlFile> yamlFiles;
        try {
            yamlFiles = YamlFile.readAll(projectRoot, files.yaml(), yaml, cache, parallel,
                    List.of(models, seeds, sources, snapshots, unitTests), yamlParsed);
        } catch (RuntimeException e) {
            Completions.join(modelTexts); // a model file that cannot be read is reported first, as when read first
            throw e;
        }
        texts.putAll(Completions.join(modelTexts));

        Map<String, Object> vars = ProjectFileReader.vars(settings, varOverrides);
        TemplateEngine templates = new TemplateEngine(projectRoot, texts, files.macros());
        Set<String> refNames = new LinkedHashSet<>(models.paths().keySet());
        refNames.addAll(seeds.names());
        Map<String, SnapshotNode> snapshotNodes = snapshots.read(Set.copyOf(refNames), sources.sources());
        refNames.addAll(snapshots.names());
        Map<String, ModelNode> modelNodes = models.read(refNames, sources.sources(), templates, new VarResolver(vars),
                cache, parallel, rendered);
        Map<String, SeedNode> seedNodes = seeds.read();
        folderWarnings.addAndGet(ProjectFileReader.warnAboutMissingFolders(settings, projectRoot));
        checkUniqueRelations(modelNodes, seedNodes, sources.sources(), snapshotNodes);

        Project project = new Project(projectRoot, settings, Map.copyOf(vars), Map.copyOf(modelNodes),
                Map.copyOf(seedNodes), Map.copyOf(sources.sources()), Map.of(), templates, models.warnings(),
                snapshotNodes);
        return project.withTests(DataTestReader.read(project, files, yamlFiles))
                .withUnitTests(unitTests.read(project, texts, models.paths().keySet()));
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

    /**
     * No model or seed may build a relation that a source reads or another node builds; a seed may
     * build the table a source names (dbt allows it: the seed loads what the source reads).
     */
    private static void checkUniqueRelations(Map<String, ModelNode> models, Map<String, SeedNode> seeds,
                                             Map<String, SourceNode> sources, Map<String, SnapshotNode> snapshots) {
        Map<String, String> owners = new HashMap<>();
        for (SourceNode source : sources.values()) {
            owners.put(source.relation().toString().toLowerCase(Locale.ROOT), "source " + source.name());
        }
        List<Node> built = new ArrayList<>(models.values());
        built.addAll(seeds.values());
        built.addAll(snapshots.values());
        for (Node node : built) {
            if (node instanceof ModelNode model && model.isEphemeral()) {
                continue;
            }
            String key = node.relation().toString().toLowerCase(Locale.ROOT);
            String previous = owners.putIfAbsent(key, node.resourceType().label() + " " + node.name());
            // dbt lets a source name the table a seed loads: the source reads what the seed builds
            if (previous != null && node instanceof SeedNode && previous.startsWith("source ")) {
                owners.put(key, node.resourceType().label() + " " + node.name());
                continue;
            }
            if (previous != null) {
                throw new ProjectException(SourceLocation.of(node.path()), node.resourceType().label() + " " + node.name()
                        + " would build " + node.relation() + ", which " + previous
                        + " already uses; give one of them another schema or alias");
            }
        }
    }
}
