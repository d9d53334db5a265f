package dev.soma.models.internal.artifacts;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.SomaVersion;
import dev.soma.core.error.FileAccessException;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.RunResult;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.state.DatabaseName;
import dev.soma.models.internal.state.MacroIndex;
import dev.soma.models.internal.state.NodeState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import dev.soma.models.internal.project.TestKind;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.UnitTestNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Writes a project's artifacts under its target directory. Compiled files may be written from
 * several workers at once (each writes its own file); JSON artifacts are written atomically (to a
 * temporary file, then moved) so a reader never sees half a file.
 */
public final class ArtifactWriter {

    private final Path targetDir;
    /**
     * Never flushed after each value: the manifest is streamed value by value ({@code writeObjectField}), and a
     * flush after each one was a {@code write} call per node, 20,000 of them on a 10,000-model project, a third
     * of the manifest's time. The generator's buffer is flushed when it fills and when the file is closed.
     */
    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Clock clock;
    private final Supplier<DatabaseName> database;
    /**
     * The text of each compiled file as this writer last wrote or confirmed it: {@code run_results.json}'s
     * {@code compiled_code} comes from here instead of reading 10,000 files back.
     */
    private final Map<Path, String> compiledTexts = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the last runs left in {@code target/compiled}. */
    private final CompiledIndex compiledIndex;

    /** @param clock stamps {@code generated_at} */
    public ArtifactWriter(Path targetDir, Clock clock) {
        this(targetDir, clock, () -> DatabaseName.of(Optional.empty()));
    }

    /**
     * @param clock    stamps {@code generated_at}
     * @param database where the relations live, for the manifest's {@code database} (asked when a manifest is written)
     */
    public ArtifactWriter(Path targetDir, Clock clock, Supplier<DatabaseName> database) {
        this.targetDir = targetDir;
        this.clock = clock;
        this.database = database;
        this.compiledIndex = new CompiledIndex(targetDir);
    }

    /** Starts reading what the last runs left in {@code target/compiled} on {@code executor} ({@link CompiledIndex}). */
    public void preloadCompiledIndex(Executor executor) {
        compiledIndex.preload(executor);
    }

    /** Keeps what this writer wrote into {@code target/compiled} for the next run's writer; never throws. */
    public void saveCompiledIndex() {
        compiledIndex.save();
    }

    public Path targetDir() {
        return targetDir;
    }

    /** Where the compiled SQL of the file at {@code path} (project-relative) goes. */
    public Path compiledPath(String path) {
        return targetDir.resolve("compiled").resolve(path.endsWith(".sql") ? path : path + ".sql");
    }

    /** Writes compiled SQL and returns its path. */
    public Path writeCompiled(String path, String sql) {
        Path file = compiledPath(path);
        try {
            String content = sql + "\n";
            // The same SQL as last time is left as it is: rewriting a file in place (truncate, write) makes
            // ext4 flush it on close, which on 10,000 models took longer than building them. What the last run
            // left is known from the index without reading the file back (CompiledIndex).
            if (!compiledIndex.holds(file, content)) {
                byte[] text = content.getBytes(StandardCharsets.UTF_8);
                if (!sameContent(file, text)) {
                    Files.createDirectories(file.getParent());
                    Files.write(file, text);
                }
                compiledIndex.record(file, content);
            }
            compiledTexts.put(file, content);
            return file;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static boolean sameContent(Path file, byte[] text) {
        try {
            return Files.size(file) == text.length && Arrays.equals(Files.readAllBytes(file), text);
        } catch (IOException e) {
            return false; // absent or unreadable: written
        }
    }

    /**
     * Writes {@code manifest.json}: every node, its config, columns and dependencies. Streamed: on a
     * project of ten thousand models, building the JSON tree first took longer than compiling.
     */
    public Path writeManifest(Project project, ModelGraph graph) {
        Path file = targetDir.resolve("manifest.json");
        try {
            Files.createDirectories(targetDir);
            Path temp = Files.createTempFile(targetDir, "manifest.json", ".tmp");
            try (JsonGenerator out = json.getFactory().createGenerator(temp.toFile(), JsonEncoding.UTF8)) {
                writeManifest(out, project, graph);
            }
            readableLikeOtherOutputs(temp);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** The manifest {@link #writeManifest} would write, as a tree: what {@code --state} compares with an earlier one. */
    public ObjectNode manifestTree(Project project, ModelGraph graph) {
        try (TokenBuffer buffer = new TokenBuffer(json, false)) {
            writeManifest(buffer, project, graph);
            return (ObjectNode) json.readTree(buffer.asParser(json));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void writeManifest(JsonGenerator out, Project project, ModelGraph graph) throws IOException {
        out.setCodec(json);
        DatabaseName where = database.get();
        MacroIndex macros = MacroIndex.of(project.templates().macroTexts());
        ManifestMemo memo = new ManifestMemo();
        out.writeStartObject();
        ObjectNode metadata = metadata(project.name(), MANIFEST_SCHEMA);
        if (where.file() != null) {
            // dbt's database is the catalog; which file holds it is Soma's to say, in the one free-form map
            ((ObjectNode) metadata.get("env")).put(DATABASE_PATH_ENV, where.file().toString());
        }
        out.writeObjectField("metadata", metadata);
        for (boolean sources : new boolean[]{false, true}) {
            out.writeObjectFieldStart(sources ? "sources" : "nodes");
            for (String id : graph.order()) {
                Node node = graph.node(id);
                if ((node instanceof SourceNode) == sources && !(node instanceof UnitTestNode)) {
                    out.writeObjectFieldStart(id);
                    describe(out, node, graph, project, where.catalog(), macros, memo);
                    out.writeEndObject();
                }
            }
            out.writeEndObject();
        }
        // A unit test runs before its model, so the graph hangs it under the model's inputs; dbt's maps say
        // what it tests: its parent is the model, and it is among the model's children.
        Map<String, List<String>> unitTestsOf = new java.util.HashMap<>();
        for (String id : graph.order()) {
            if (graph.node(id) instanceof UnitTestNode unit) {
                unitTestsOf.computeIfAbsent(unit.modelId(), k -> new java.util.ArrayList<>()).add(id);
            }
        }
        for (boolean parents : new boolean[]{true, false}) {
            out.writeObjectFieldStart(parents ? "parent_map" : "child_map");
            for (String id : graph.order()) {
                out.writeArrayFieldStart(id);
                java.util.Set<String> others = new java.util.HashSet<>();
                if (graph.node(id) instanceof UnitTestNode unit) {
                    if (parents) {
                        others.add(unit.modelId());
                    }
                } else {
                    for (String other : parents ? graph.parents(id) : graph.children(id)) {
                        if (!(graph.node(other) instanceof UnitTestNode)) {
                            others.add(other);
                        }
                    }
                    if (!parents) {
                        others.addAll(unitTestsOf.getOrDefault(id, List.of()));
                    }
                }
                for (String other : sorted(others)) {
                    out.writeString(other);
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        }
        out.writeObjectFieldStart("unit_tests");
        for (String id : graph.order()) {
            if (graph.node(id) instanceof UnitTestNode unit) {
                out.writeObjectFieldStart(id);
                describeUnitTest(out, unit, project.name());
                out.writeEndObject();
            }
        }
        out.writeEndObject();
        out.writeObjectFieldStart("macros");
        for (MacroIndex.Macro macro : macros.macros().values()) {
            out.writeObjectFieldStart(macroId(project.name(), macro.name()));
            out.writeStringField("unique_id", macroId(project.name(), macro.name()));
            out.writeStringField("name", macro.name());
            out.writeStringField("resource_type", "macro");
            out.writeStringField("package_name", project.name());
            out.writeStringField("path", macro.path());
            out.writeStringField("original_file_path", macro.path());
            out.writeStringField("macro_sql", macro.sql());
            out.writeObjectFieldStart("depends_on");
            out.writeArrayFieldStart("macros");
            for (String called : macros.calledByMacro(macro.name())) {
                out.writeString(macroId(project.name(), called));
            }
            out.writeEndArray();
            out.writeEndObject();
            out.writeEndObject();
        }
        out.writeEndObject();
        // dbt's other top-level maps: Soma has none of these yet, but dbt tools expect the keys.
        for (String empty : new String[]{"docs", "exposures", "metrics", "groups", "selectors",
                "disabled", "group_map", "saved_queries", "semantic_models"}) {
            out.writeObjectFieldStart(empty);
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    /** The key in the manifest's {@code metadata.env} naming the database file its relations live in. */
    public static final String DATABASE_PATH_ENV = "SOMA_DATABASE_PATH";

    /** dbt's unique id of a macro. */
    public static String macroId(String projectName, String macro) {
        return "macro." + projectName + "." + macro;
    }

    /**
     * Writes the manifest on {@code executor}: it does not depend on the run, and on a large project it
     * takes as long as compiling. Wait for it with {@link #await}.
     */
    public CompletableFuture<Path> writeManifestAsync(Project project, ModelGraph graph, Executor executor) {
        return CompletableFuture.supplyAsync(() -> writeManifest(project, graph), executor);
    }

    /** Waits for a file written in the background; its failure is thrown as it was. */
    public static Path await(CompletableFuture<Path> written) {
        try {
            return written.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void describe(JsonGenerator out, Node node, ModelGraph graph, Project project, String catalog, MacroIndex macros,
                          ManifestMemo memo)
            throws IOException {
        String projectName = project.name();
        out.writeStringField("unique_id", node.uniqueId());
        out.writeStringField("name", node.name());
        out.writeStringField("resource_type", node.resourceType().label());
        out.writeStringField("package_name", projectName);
        out.writeStringField("path", node.path());
        out.writeStringField("original_file_path", node.path());
        out.writeStringField("database", catalog);
        if (node.relation() == null) {
            out.writeStringField("schema", "main");
        }
        out.writeArrayFieldStart("fqn");
        out.writeString(projectName);
        for (String part : node.fqn()) {
            out.writeString(part);
        }
        out.writeEndArray();
        if (node.relation() != null) {
            out.writeStringField("schema", node.relation().schema());
            if (!(node instanceof SourceNode)) {
                out.writeStringField("alias", node.relation().identifier());
            }
            out.writeStringField("relation_name", node.relation().quoted());
        }
        out.writeArrayFieldStart("tags");
        for (String tag : node.tags()) {
            out.writeString(tag);
        }
        out.writeEndArray();
        JsonNode config = memo.tree(node instanceof ModelNode model
                ? new ModelConfig(model.materialized().label(), model.config())
                : node instanceof SnapshotNode snapshot ? snapshotConfig(snapshot) : node.config());
        out.writeObjectField("config", config);
        out.writeStringField("description", node.description() == null ? "" : node.description());
        Set<String> called = Set.of();
        if (node instanceof ModelNode model) {
            columns(out, model.columns());
            String raw = rawCode(project, model.path());
            called = macros.calledBy(raw);
            ObjectNode contract = contract(config, model.columns());
            out.writeObjectField("contract", contract);
            out.writeStringField("raw_code", raw);
            out.writeObjectFieldStart("checksum");
            out.writeStringField("name", "sha256");
            out.writeStringField("checksum", NodeState.checksum(raw, memo.canonical(config), NodeState.canonical(contract),
                    macroChecksums(macros, called, memo)));
            out.writeEndObject();
            out.writeStringField("compiled_path", compiledPath(model.path()).toString());
        } else if (node instanceof SnapshotNode snapshot) {
            columns(out, snapshot.columns());
        } else if (node instanceof SourceNode source) {
            out.writeStringField("source_name", source.sourceName());
            out.writeStringField("identifier", source.relation() == null ? source.name() : source.relation().identifier());
            out.writeStringField("loaded_at_field", source.loadedAtField());
            columns(out, source.columns());
            if (source.freshness() != null) {
                out.writeObjectField("freshness", source.freshness());
            }
        } else if (node instanceof SeedNode seed) {
            out.writeStringField("raw_code", "");
            out.writeObjectFieldStart("checksum");
            out.writeStringField("name", "sha256");
            out.writeStringField("checksum", seed.checksum() == null ? "" : seed.checksum());
            out.writeEndObject();
        } else if (node instanceof TestNode test) {
            out.writeStringField("alias", test.name());
            String raw = test.kind() == TestKind.SINGULAR ? rawCode(project, test.path()) : null;
            if (raw != null) {
                out.writeStringField("raw_code", raw);
            }
            out.writeObjectFieldStart("checksum");
            if (raw != null) {
                called = macros.calledBy(raw);
                out.writeStringField("name", "sha256");
                out.writeStringField("checksum", NodeState.checksum(raw, memo.canonical(config), "",
                        macroChecksums(macros, called, memo)));
            } else {
                out.writeStringField("name", "none");
                out.writeStringField("checksum", "");
            }
            out.writeEndObject();
            if (test.kind() != TestKind.SINGULAR) {
                out.writeStringField("attached_node", test.attachedTo());
                out.writeStringField("column_name", test.column());
                // dbt's shape: the test's name and its arguments as kwargs
                out.writeObjectFieldStart("test_metadata");
                out.writeStringField("name", test.testName());
                out.writeObjectField("kwargs", test.arguments());
                out.writeEndObject();
            }
        }
        if (node instanceof SourceNode) {
            out.writeStringField("loader", "");
            out.writeStringField("source_description", "");
            return;
        }
        out.writeObjectFieldStart("depends_on");
        out.writeArrayFieldStart("macros");
        for (String macro : called) {
            out.writeString(macroId(projectName, macro));
        }
        out.writeEndArray();
        out.writeArrayFieldStart("nodes");
        for (String parent : sorted(graph.parents(node.uniqueId()))) {
            out.writeString(parent);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** A unit test in dbt's shape: the model, given, expect and overrides as declared, depends_on its model. */
    private void describeUnitTest(JsonGenerator out, UnitTestNode unit, String projectName) throws IOException {
        out.writeStringField("unique_id", unit.uniqueId());
        out.writeStringField("name", unit.name());
        out.writeStringField("resource_type", unit.resourceType().label());
        out.writeStringField("package_name", projectName);
        out.writeStringField("path", unit.path());
        out.writeStringField("original_file_path", unit.path());
        out.writeArrayFieldStart("fqn");
        out.writeString(projectName);
        for (String part : unit.fqn()) {
            out.writeString(part);
        }
        out.writeEndArray();
        out.writeStringField("model", unit.model());
        out.writeStringField("description", unit.description() == null ? "" : unit.description());
        out.writeArrayFieldStart("given");
        for (UnitTestNode.Input input : unit.given()) {
            out.writeStartObject();
            out.writeStringField("input", input.input());
            fixture(out, input.rows());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeObjectFieldStart("expect");
        fixture(out, unit.expect());
        out.writeEndObject();
        out.writeObjectFieldStart("overrides");
        out.writeObjectFieldStart("macros");
        if (unit.incremental() != null) {
            out.writeBooleanField("is_incremental", unit.incremental());
        }
        out.writeEndObject();
        out.writeObjectField("vars", unit.vars());
        out.writeObjectFieldStart("env_vars");
        out.writeEndObject();
        out.writeEndObject();
        out.writeObjectFieldStart("config");
        out.writeObjectField("tags", unit.tags());
        out.writeObjectField("meta", unit.config().meta() == null ? Map.of() : unit.config().meta());
        out.writeBooleanField("enabled", true);
        out.writeEndObject();
        out.writeObjectFieldStart("depends_on");
        out.writeArrayFieldStart("nodes");
        out.writeString(unit.modelId());
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void fixture(JsonGenerator out, UnitTestNode.Rows rows) throws IOException {
        if (rows.format() == UnitTestNode.Format.SQL) {
            out.writeStringField("rows", rows.sql());
        } else {
            out.writeObjectField("rows", rows.rows());
        }
        out.writeStringField("format", rows.format().label());
    }

    /** The template text of {@code path}: as the parser read it, else from the project folder. */
    private static String rawCode(Project project, String path) {
        String text = project.templates().text(path);
        if (text != null) {
            return text;
        }
        try {
            return Files.readString(project.root().resolve(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Map<String, String> macroChecksums(MacroIndex macros, Set<String> names, ManifestMemo memo) {
        Map<String, String> checksums = new java.util.TreeMap<>();
        names.forEach(name -> checksums.put(name, memo.macroChecksum(name, macros.macros().get(name).sql())));
        return checksums;
    }

    /**
     * dbt's contract block: enforced as the config says ({@code contract: {enforced: true}}), and a checksum of the
     * declared columns' names and types, sorted by name (dbt's {@code build_contract_checksum}).
     */
    private ObjectNode contract(JsonNode config, List<ColumnEntry> columns) {
        ObjectNode contract = json.createObjectNode();
        contract.put("enforced", config.path("contract").path("enforced").asBoolean(false));
        contract.put("alias_types", true);
        StringBuilder state = new StringBuilder();
        columns.stream().sorted(java.util.Comparator.comparing(ColumnEntry::name))
                .forEach(c -> state.append('|').append(c.name()).append(c.dataType()));
        contract.put("checksum", dev.soma.core.text.Checksums.sha256(state.toString()));
        return contract;
    }

    /**
     * What one manifest makes once for many nodes: the JSON of each distinct config and its canonical text (most
     * nodes of a large project share their config, 10,000 views a handful of distinct ones, and turning each into a
     * tree and sorting it again was half of the manifest's time), and each macro's checksum (every model calling
     * a macro hashed its text again). The trees are shared, so never changed after they are made.
     */
    private final class ManifestMemo {
        private final Map<Object, JsonNode> trees = new java.util.HashMap<>();
        private final Map<JsonNode, String> canonical = new java.util.IdentityHashMap<>();
        private final Map<String, String> macroChecksums = new java.util.HashMap<>();

        JsonNode tree(Object config) {
            return trees.computeIfAbsent(config, json::valueToTree);
        }

        String canonical(JsonNode tree) {
            return canonical.computeIfAbsent(tree, NodeState::canonical);
        }

        String macroChecksum(String name, String definition) {
            return macroChecksums.computeIfAbsent(name, ignored -> NodeState.macroChecksum(definition));
        }
    }

    /** A model's config as written, with its effective materialization. */
    private record ModelConfig(String materialized, @JsonUnwrapped NodeConfig config) {
    }

    private static void columns(JsonGenerator out, List<ColumnEntry> columns) throws IOException {
        out.writeObjectFieldStart("columns");
        for (ColumnEntry column : columns) {
            out.writeObjectFieldStart(column.name());
            out.writeStringField("name", column.name());
            out.writeStringField("description", column.description() == null ? "" : column.description());
            out.writeStringField("data_type", column.dataType());
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static List<String> sorted(java.util.Set<String> ids) {
        List<String> list = new java.util.ArrayList<>(ids);
        list.sort(null);
        return list;
    }

    /** Writes {@code run_results.json}: each node's status, timing, rows and message. */
    public Path writeRunResults(String projectName, RunResult run, Map<String, Object> args) {
        ObjectNode root = json.createObjectNode();
        ObjectNode meta = metadata(projectName, RUN_RESULTS_SCHEMA).put("invocation_id", run.runId());
        meta.remove("project_name");
        ((ObjectNode) meta.get("env")).put("SOMA_PROJECT_NAME", projectName);
        root.set("metadata", meta);
        root.put("elapsed_time", run.elapsed().toNanos() / 1e9);
        root.set("args", json.valueToTree(args));
        ArrayNode results = root.putArray("results");
        for (NodeResult result : run.results()) {
            ObjectNode entry = results.addObject();
            entry.put("unique_id", result.uniqueId());
            entry.put("status", result.status().label());
            entry.put("execution_time", result.duration().toNanos() / 1e9);
            ArrayNode timing = entry.putArray("timing");
            if (result.startedAt() != null) {
                timing.addObject().put("name", "execute")
                        .put("started_at", result.startedAt().toString())
                        .put("completed_at", result.startedAt().plus(result.duration()).toString());
            }
            entry.put("message", result.message());
            // dbt's schema lets an adapter say what it likes here: Soma's extras live in it.
            ObjectNode adapter = entry.putObject("adapter_response").put("rows_affected", result.rowsAffected());
            adapter.put("compiled_path", result.compiledPath() == null ? null : result.compiledPath().toString());
            adapter.put("compiled_sql_checksum", result.checksum());
            if (result.failures() >= 0) {
                entry.put("failures", result.failures());
            } else {
                entry.putNull("failures");
            }
            if (!result.samples().isEmpty()) {
                adapter.set("sample_failing_rows", json.valueToTree(result.samples()));
            }
            // The worker that ran the node; a node skipped before reaching one was decided by the run itself.
            entry.put("thread_id", result.thread() == null ? "soma-main" : result.thread());
            entry.put("compiled", result.compiledPath() != null);
            entry.put("compiled_code", compiledCode(result.compiledPath(), compiledTexts));
            entry.put("relation_name", result.node().relation() == null ? null : result.node().relation().quoted());
        }
        return writeJson("run_results.json", root, true);
    }

    static final String MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json";
    static final String RUN_RESULTS_SCHEMA = "https://schemas.getdbt.com/dbt/run-results/v6.json";

    /** dbt's metadata block; Soma's version goes in {@code env}, the one free-form map dbt's schema allows. */
    private ObjectNode metadata(String projectName, String schema) {
        ObjectNode metadata = json.createObjectNode();
        metadata.put("dbt_schema_version", schema);
        metadata.put("dbt_version", "soma-" + SomaVersion.get());
        metadata.put("generated_at", clock.instant().toString());
        metadata.put("project_name", projectName);
        metadata.putObject("env").put("SOMA_VERSION", SomaVersion.get());
        return metadata;
    }

    /**
     * A temporary file is created owner-only (0600); the artifact it becomes should be readable as the
     * compiled SQL beside it is (rw-r--r--, less what the umask removes from that file).
     */
    private static void readableLikeOtherOutputs(Path temp) throws IOException {
        if (!temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Path sibling = temp.resolveSibling("compiled");
        if (Files.isDirectory(sibling)) {
            permissions = new java.util.HashSet<>(Files.getPosixFilePermissions(sibling));
            permissions.remove(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
            permissions.remove(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
            permissions.remove(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        }
        Files.setPosixFilePermissions(temp, permissions);
    }

    private static String compiledCode(Path compiledPath, Map<Path, String> written) {
        if (compiledPath == null) {
            return null;
        }
        String text = written.get(compiledPath);
        if (text != null) {
            return text;
        }
        try {
            return Files.readString(compiledPath);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes atomically; the manifest of a large project is written compact, as dbt does, to stay fast. */
    private Path writeJson(String name, ObjectNode root, boolean indent) {
        Path file = targetDir.resolve(name);
        try {
            Files.createDirectories(targetDir);
            Path temp = Files.createTempFile(targetDir, name, ".tmp");
            (indent ? json.writerWithDefaultPrettyPrinter() : json.writer()).writeValue(temp.toFile(), root);
            readableLikeOtherOutputs(temp);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static FileAccessException cannotWrite(Path file, IOException e) {
        return new FileAccessException(file, "cannot write", e);
    }

    /** A snapshot's config in dbt's manifest shape: {@code materialized: snapshot} and its snapshot keys as written. */
    private static java.util.Map<String, Object> snapshotConfig(SnapshotNode snapshot) {
        java.util.Map<String, Object> config = new java.util.LinkedHashMap<>();
        config.put("materialized", "snapshot");
        config.put("schema", snapshot.relation().schema());
        config.put("alias", snapshot.relation().identifier());
        config.put("tags", snapshot.tags());
        config.put("unique_key", snapshot.uniqueKey().size() == 1 ? snapshot.uniqueKey().get(0) : snapshot.uniqueKey());
        config.put("strategy", snapshot.strategy().label());
        config.put("updated_at", snapshot.updatedAt());
        config.put("check_cols", snapshot.checkCols().isEmpty() ? (snapshot.strategy().label().equals("check") ? "all" : null)
                : snapshot.checkCols());
        config.put("dbt_valid_to_current", snapshot.validToCurrent());
        config.put("hard_deletes", snapshot.hardDeletes().label());
        return config;
    }
}
