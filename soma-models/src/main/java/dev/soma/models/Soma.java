package dev.soma.models;

import dev.soma.core.SomaVersion;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.runstore.NodeRecord;
import dev.soma.core.runstore.RunRecord;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.materialize.RelationTypes;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.ProjectFile.TargetConfig;
import dev.soma.models.internal.project.ProjectLoader;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.datatest.TestExecutor;
import dev.soma.models.internal.datatest.TestLoader;
import dev.soma.models.internal.project.YamlReader;
import dev.soma.models.internal.run.NodeExecutor;
import dev.soma.models.internal.run.Runner;
import dev.soma.models.internal.selection.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A loaded project bound to a warehouse: the entry point of the modelling engine.
 *
 * <pre>{@code
 * try (Warehouse warehouse = Warehouse.open(Path.of("soma.duckdb"));
 *      Soma soma = Soma.builder().project(Path.of("models")).warehouse(warehouse).threads(4).build()) {
 *     RunResult result = soma.run(Selection.of("+fact_sales"));
 *     result.failures().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>The project is loaded, compiled for dependencies and checked once, in {@link Builder#build()};
 * each verb then works on that snapshot. Verbs are not meant to run concurrently on one instance;
 * two instances on two warehouses share nothing.
 */
public final class Soma implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Soma.class);

    private final Project project;
    private final ModelGraph graph;
    private final Warehouse warehouse;
    private final boolean ownsWarehouse;
    private final Settings settings;
    private final ArtifactWriter artifacts;
    private final Compiler compiler;
    private final Map<String, NodeInfo> infos = new HashMap<>();

    private Soma(Project project, ModelGraph graph, Warehouse warehouse, boolean ownsWarehouse, Settings settings,
                 Path targetDir) {
        this.project = project;
        this.graph = graph;
        this.warehouse = warehouse;
        this.ownsWarehouse = ownsWarehouse;
        this.settings = settings;
        this.artifacts = new ArtifactWriter(targetDir);
        this.compiler = new Compiler(project);
        for (String id : graph.order()) {
            infos.put(id, describe(graph.node(id)));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The project's name from {@code soma_project.yml}. */
    public String projectName() {
        return project.name();
    }

    /** The warehouse this instance works on. */
    public Warehouse warehouse() {
        return warehouse;
    }

    /** Where compiled SQL and artifacts go. */
    public Path targetDir() {
        return artifacts.targetDir();
    }

    /** The selected nodes, in dependency order (sources included). */
    public List<NodeInfo> list(Selection selection) {
        return graph.inOrder(select(selection)).stream().map(infos::get).toList();
    }

    /** Selector terms of {@code selection} that match no node, for a warning. */
    public List<String> unmatched(Selection selection) {
        Selector selector = new Selector(graph);
        List<String> unmatched = new ArrayList<>(selector.unmatched(selection.selectExpression()));
        unmatched.addAll(selector.unmatched(selection.excludeExpression()));
        return unmatched;
    }

    /** The node called {@code name} (a model, seed, source {@code raw.books}, or test). */
    public NodeInfo node(String name) {
        for (NodeInfo info : infos.values()) {
            if (info.name().equals(name)) {
                return info;
            }
        }
        List<String> names = infos.values().stream().map(NodeInfo::name).toList();
        throw new ProjectException(null, "no model, seed or source called '" + name + "'" + Suggestions.didYouMean(name, names)
                + "; 'soma ls' lists them");
    }

    /**
     * Compiles the selected models and writes their SQL under {@code target/compiled}, and the manifest.
     * Nothing is built.
     */
    public List<CompiledNode> compile(Selection selection) {
        CompletableFuture<Path> manifest = writeManifestInBackground();
        NodeExecutor executor = executor();
        List<ModelNode> models = new ArrayList<>();
        for (String id : graph.inOrder(select(selection))) {
            if (graph.node(id) instanceof ModelNode model && !model.isEphemeral()) {
                models.add(model);
            }
        }
        RelationTypes existing = RelationTypes.load(warehouse.session(), schemasOf(models.stream().map(ModelNode::uniqueId).toList()));
        Map<String, Boolean> incremental = new HashMap<>();
        for (ModelNode model : models) {
            incremental.put(model.uniqueId(), executor.isIncremental(model, existing.typeOf(model.relation())));
        }
        List<CompiledNode> compiled = models.parallelStream().map(model -> {
            CompiledModel result = compiler.compile(model, incremental.get(model.uniqueId()));
            Path path = artifacts.writeCompiled(model.path(), result.sql());
            return new CompiledNode(infos.get(model.uniqueId()), result.sql(), path);
        }).toList();
        awaitManifest(manifest);
        return compiled;
    }

    /** The manifest does not depend on the run: write it alongside (on a large project it takes as long as compiling). */
    private CompletableFuture<Path> writeManifestInBackground() {
        return CompletableFuture.supplyAsync(() -> artifacts.writeManifest(project, graph), runnable -> {
            Thread thread = new Thread(runnable, "soma-manifest");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static void awaitManifest(CompletableFuture<Path> manifest) {
        try {
            manifest.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Builds the selected models and seeds in dependency order. */
    public RunResult run(Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : select(selection)) {
            if (isBuildable(graph.node(id))) {
                planned.add(id);
            }
        }
        return execute("run", selection, planned, Map.of());
    }

    /**
     * Runs the selected data tests, and the tests of the selected models, seeds and sources, against what
     * is in the warehouse now. Nothing is built.
     */
    public RunResult test(Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : withTests(selection)) {
            if (graph.node(id) instanceof TestNode) {
                planned.add(id);
            }
        }
        return execute("test", selection, planned, Map.of());
    }

    /**
     * Builds the selected models and seeds and runs their tests, in graph order: a node's tests run right
     * after it builds, and a failing error-severity test skips everything downstream of what it tests, so
     * nothing is built on bad data. Source freshness fails the build when stale but skips nothing.
     */
    public RunResult build(Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : withTests(selection)) {
            Node node = graph.node(id);
            if (isBuildable(node) || node instanceof TestNode) {
                planned.add(id);
            }
        }
        Map<String, Set<String>> gates = new HashMap<>();
        for (String id : planned) {
            // Freshness says how old the data is, not that it is wrong: it fails the run but gates nothing.
            if (graph.node(id) instanceof TestNode test && test.severity().equals("error")
                    && !test.testType().equals("freshness")) {
                Set<String> upstreamOfTest = graph.ancestors(id, -1);
                // A generic test gates what is built from the node it tests (not from the node a
                // relationships test looks up); a singular test gates what is built from all it reads.
                Set<String> testedNodes = test.attachedTo() != null ? Set.of(test.attachedTo()) : test.dependsOn();
                for (String tested : testedNodes) {
                    for (String child : graph.children(tested)) {
                        if (planned.contains(child) && !(graph.node(child) instanceof TestNode)
                                && !upstreamOfTest.contains(child)) {
                            gates.computeIfAbsent(child, k -> new LinkedHashSet<>()).add(id);
                        }
                    }
                }
            }
        }
        return execute("build", selection, planned, gates);
    }

    private static boolean isBuildable(Node node) {
        return (node instanceof ModelNode model && !model.isEphemeral()) || node instanceof SeedNode;
    }

    /** The selection plus the tests of every selected node, minus what is excluded. */
    private Set<String> withTests(Selection selection) {
        Selector selector = new Selector(graph);
        Set<String> selected = select(selection);
        Set<String> excluded = selector.matching(selection.excludeExpression());
        Set<String> all = new LinkedHashSet<>(selected);
        for (TestNode test : project.tests().values()) {
            if (selected.contains(test.attachedTo()) && !excluded.contains(test.uniqueId())) {
                all.add(test.uniqueId());
            }
        }
        return all;
    }

    private NodeExecutor executor() {
        return new NodeExecutor(project, compiler, artifacts, settings.fullRefresh, node -> infos.get(node.uniqueId()));
    }

    private RunResult execute(String command, Selection selection, Set<String> planned, Map<String, Set<String>> gates) {
        String runId = UUID.randomUUID().toString();
        Instant started = settings.clock.instant();
        long startNanos = System.nanoTime();
        createSchemas(planned);
        RelationTypes existing = RelationTypes.load(warehouse.session(), schemasOf(planned));
        List<TestNode> tests = planned.stream().map(graph::node).filter(TestNode.class::isInstance)
                .map(TestNode.class::cast).toList();
        if (TestExecutor.storesFailures(tests)) {
            warehouse.createSchema(TestExecutor.FAILURES_SCHEMA);
        }
        NodeExecutor executor = executor();
        TestExecutor testExecutor = new TestExecutor(project, compiler, artifacts, settings.clock, tests, settings.foldTests,
                node -> infos.get(node.uniqueId()));
        RunStore store = new RunStore(warehouse.session());
        store.runStarted(new RunRecord(runId, command, started, null, "running", planned.size(), SomaVersion.get()));
        CompletableFuture<Path> manifest = writeManifestInBackground();
        settings.listener.runStarted(command, planned.size());

        List<NodeResult> results;
        try {
            runHooks("on_run_start", project.settings().onRunStart());
            Set<String> testIds = new java.util.HashSet<>();
            tests.forEach(t -> testIds.add(t.uniqueId()));
            results = new Runner(warehouse, settings.threads, settings.failFast, settings.listener)
                    .run(new Runner.Plan(graph, planned, gates, testIds, infos::get),
                            (id, session) -> executor.execute(graph.node(id), session, existing, testExecutor));
            runHooks("on_run_end", project.settings().onRunEnd());
            awaitManifest(manifest);
        } catch (RuntimeException e) {
            // A hook or the warehouse failed: the run ends here, recorded as such rather than left "running".
            store.runFinished(runId, settings.clock.instant(), "error", List.of());
            throw e;
        }

        RunResult result = new RunResult(runId, command, started, Duration.ofNanos(System.nanoTime() - startNanos), results);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("command", command);
        args.put("select", selection.select());
        args.put("exclude", selection.exclude());
        args.put("threads", settings.threads);
        args.put("full_refresh", settings.fullRefresh);
        args.put("fail_fast", settings.failFast);
        args.put("vars", settings.vars);
        artifacts.writeRunResults(project.name(), result, args);
        store.runFinished(runId, settings.clock.instant(), result.isSuccess() ? "success" : "error", records(results));
        settings.listener.runFinished(result);
        return result;
    }

    private void createSchemas(Set<String> planned) {
        schemasOf(planned).forEach(warehouse::createSchema);
    }

    private Set<String> schemasOf(java.util.Collection<String> ids) {
        Set<String> schemas = new TreeSet<>();
        for (String id : ids) {
            Node node = graph.node(id);
            if (node.relation() != null && !(node instanceof SourceNode)) {
                schemas.add(node.relation().schema());
            }
        }
        return schemas;
    }

    private void runHooks(String kind, List<String> hooks) {
        for (int i = 0; i < hooks.size(); i++) {
            String name = "soma_project.yml#" + kind + "[" + i + "]";
            String sql = compiler.renderText(name, hooks.get(i), kind + " hook", null);
            if (!sql.isBlank()) {
                warehouse.execute(new SqlOwner("hook", kind + "[" + i + "]"), sql);
            }
        }
    }

    private static List<NodeRecord> records(List<NodeResult> results) {
        List<NodeRecord> records = new ArrayList<>(results.size());
        for (NodeResult r : results) {
            records.add(new NodeRecord(r.uniqueId(), r.name(),
                    r.node().resourceType() == null ? "unknown" : r.node().resourceType().label(), r.status().label(),
                    r.rowsAffected(), r.failures(), r.startedAt(), r.duration().toNanos() / 1e6, r.message(),
                    r.compiledPath() == null ? null : r.compiledPath().toString(), r.checksum()));
        }
        return records;
    }

    Set<String> select(Selection selection) {
        return new Selector(graph).select(selection.selectExpression(), selection.excludeExpression());
    }

    private NodeInfo describe(Node node) {
        String materialized = node instanceof ModelNode model ? model.materialized()
                : node instanceof TestNode test ? test.testName() : node.resourceType().label();
        String description = node.description();
        return new NodeInfo(node.uniqueId(), node.name(), node.resourceType(), node.path(), node.relation(),
                materialized, node.tags(), List.copyOf(new TreeSet<>(graph.parents(node.uniqueId()))), description);
    }

    /** Closes the warehouse if this instance opened it. */
    @Override
    public void close() {
        if (ownsWarehouse) {
            warehouse.close();
        }
    }

    private record Settings(int threads, boolean fullRefresh, boolean failFast, RunListener listener, Clock clock,
                            Map<String, Object> vars, boolean foldTests) {
    }

    /**
     * Configures a {@link Soma}. The only mutable type of the API; not thread-safe.
     *
     * <p>Defaults: target from {@code default_target} (or {@code dev}); threads from the target, else 4;
     * database from {@link #warehouse}, else {@link #database}, else the target's; no full refresh;
     * no fail-fast; target directory {@code <project>/target} (or {@code ./target} for a project inside
     * a jar).
     */
    public static final class Builder {
        private Path projectDir;
        private Warehouse warehouse;
        private Path database;
        private String target;
        private Integer threads;
        private final Map<String, Object> vars = new LinkedHashMap<>();
        private boolean fullRefresh;
        private boolean failFast;
        private RunListener listener = RunListener.NONE;
        private Path targetDir;
        private Clock clock = Clock.systemUTC();
        private boolean foldTests = true;

        private Builder() {
        }

        /** The project directory (holding {@code soma_project.yml}); may be inside a jar's file system. */
        public Builder project(Path projectDir) {
            this.projectDir = projectDir;
            return this;
        }

        /** Work on this warehouse; the caller keeps ownership and closes it. */
        public Builder warehouse(Warehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /** Open (and own) this database file instead of the target's. */
        public Builder database(Path database) {
            this.database = database;
            return this;
        }

        /** Which of the project's targets to use. */
        public Builder target(String target) {
            this.target = target;
            return this;
        }

        /** Worker connections; at least 1. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Vars over the project's own, as {@code --vars} does. */
        public Builder vars(Map<String, ?> vars) {
            this.vars.putAll(vars);
            return this;
        }

        /**
         * Vars given as YAML text, e.g. {@code {start_date: 2024-01-01}}.
         *
         * @param origin where the text came from ({@code --vars}), named in errors
         */
        public Builder varsYaml(String origin, String yaml) {
            this.vars.putAll(new YamlReader().readMap(origin, yaml));
            return this;
        }

        /** Rebuild incremental models from scratch. */
        public Builder fullRefresh(boolean fullRefresh) {
            this.fullRefresh = fullRefresh;
            return this;
        }

        /** Stop starting new nodes after the first failure. */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** Hears node start and finish, e.g. to show progress. */
        public Builder listener(RunListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Where compiled SQL and artifacts go. */
        public Builder targetDir(Path targetDir) {
            this.targetDir = targetDir;
            return this;
        }

        /**
         * Whether column checks on one relation share one scan (default). Off only to measure what
         * folding saves; results are the same either way.
         */
        public Builder foldTests(boolean foldTests) {
            this.foldTests = foldTests;
            return this;
        }

        /** The clock for run timestamps and source freshness. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Loads and checks the project, and opens the database if none was given.
         *
         * @throws ProjectException for anything wrong in the project, naming file and line
         */
        public Soma build() {
            if (projectDir == null) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "no project given; call project(Path) on the builder");
            }
            Project project = TestLoader.load(new ProjectLoader().load(projectDir, vars));
            ModelGraph graph = graphOf(project);
            TargetConfig targetConfig = targetConfig(project);
            int threadCount = threads != null ? threads
                    : targetConfig != null && targetConfig.threads() != null ? targetConfig.threads() : 4;
            Path targets = targetDir != null ? targetDir
                    : project.root().getFileSystem() == FileSystems.getDefault()
                    ? project.root().resolve(project.settings().targetPath())
                    : Path.of(project.settings().targetPath());
            Warehouse opened = warehouse;
            boolean owns = false;
            if (opened == null) {
                opened = openDatabase(targetConfig);
                owns = true;
            }
            try {
                applySettings(opened, targetConfig);
            } catch (RuntimeException e) {
                if (owns) {
                    opened.close();
                }
                throw e;
            }
            LOG.debug("loaded project {} with {} nodes", project.name(), graph.order().size());
            return new Soma(project, graph, opened, owns,
                    new Settings(threadCount, fullRefresh, failFast, listener, clock, Map.copyOf(vars), foldTests), targets);
        }

        private TargetConfig targetConfig(Project project) {
            Map<String, TargetConfig> targets = project.settings().targets();
            String name = target != null ? target
                    : project.settings().defaultTarget() != null ? project.settings().defaultTarget() : "dev";
            TargetConfig config = targets.get(name);
            if (config == null && (target != null || project.settings().defaultTarget() != null)) {
                throw new ProjectException(null, "no target '" + name + "' in soma_project.yml"
                        + Suggestions.didYouMean(name, targets.keySet())
                        + (targets.isEmpty() ? "; add a targets: block" : "; targets: " + String.join(", ", targets.keySet())));
            }
            return config;
        }

        private Warehouse openDatabase(TargetConfig targetConfig) {
            if (database != null) {
                return Warehouse.open(database);
            }
            String configured = targetConfig == null ? null : targetConfig.database();
            if (configured == null) {
                return Warehouse.open(Path.of("soma.duckdb"));
            }
            return configured.equals(":memory:") ? Warehouse.inMemory() : Warehouse.open(Path.of(configured));
        }

        private static void applySettings(Warehouse warehouse, TargetConfig targetConfig) {
            if (targetConfig == null) {
                return;
            }
            for (Map.Entry<String, Object> setting : targetConfig.settings().entrySet()) {
                Object value = setting.getValue();
                String literal = value instanceof Number || value instanceof Boolean
                        ? String.valueOf(value) : Identifiers.literal(String.valueOf(value));
                warehouse.execute(new SqlOwner("target setting", setting.getKey()),
                        "SET " + Identifiers.quote(setting.getKey()) + " = " + literal);
            }
        }

        private static ModelGraph graphOf(Project project) {
            Map<String, Node> nodes = project.nodes();
            Map<String, Set<String>> parents = new HashMap<>();
            for (ModelNode model : project.models().values()) {
                Set<String> ids = new LinkedHashSet<>();
                for (String ref : model.refs()) {
                    ids.add(project.refTarget(ref).uniqueId());
                }
                for (String source : model.sources()) {
                    ids.add(project.sources().get(source).uniqueId());
                }
                parents.put(model.uniqueId(), ids);
            }
            for (TestNode test : project.tests().values()) {
                parents.put(test.uniqueId(), test.dependsOn());
            }
            return ModelGraph.build(nodes, parents);
        }
    }
}
