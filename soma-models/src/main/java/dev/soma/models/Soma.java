package dev.soma.models;

import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.NodeDocs;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.ProjectWarning;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.ShadowRelation;
import dev.soma.models.error.PublishRefusedException;
import dev.soma.models.internal.publish.PublishLedger;
import dev.soma.models.internal.publish.Publisher;
import dev.soma.models.internal.publish.ShadowBuild;
import dev.soma.core.warehouse.Session;
import java.time.Duration;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.plan.BuildPlan;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.run.RunLifecycle;
import dev.soma.models.internal.run.RunOptions;
import dev.soma.models.internal.run.SelectionCompiler;
import dev.soma.models.internal.selection.Selector;
import dev.soma.models.internal.database.Target;

import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowAuditResult;
import dev.soma.models.internal.window.WindowAudit;
import dev.soma.models.internal.window.WindowLedger;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

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
 * <p>The project is loaded, compiled for dependencies and checked once, in {@link SomaBuilder#build()};
 * each verb then works on that snapshot. The database is opened on first need: {@link #list},
 * {@link #node}, {@link #unmatched} and {@link #targetDir} never touch it, and {@link #compile} only
 * to learn which incremental models exist. Verbs are not meant to run concurrently on one instance;
 * two instances on two warehouses share nothing.
 */
public final class Soma implements AutoCloseable {

    private final Project project;
    private final ModelGraph graph;
    private final NodeCatalog catalog;
    private final Target target;
    private final RunOptions options;
    private final ArtifactWriter artifacts;
    private final Compiler compiler;
    private final ExecutorService executor;
    private final Path database;
    private final AutoCloseable projectSource;
    private final boolean mustExist;
    private Warehouse warehouse;
    private final boolean ownsWarehouse;

    Soma(Project project, ModelGraph graph, Target target, RunOptions options, Path targetDir, ExecutorService executor,
         Warehouse warehouse, Path database, boolean mustExist, AutoCloseable projectSource) {
        this.project = project;
        this.graph = graph;
        this.catalog = new NodeCatalog(graph);
        this.target = target;
        this.options = options;
        this.artifacts = new ArtifactWriter(targetDir, options.clock());
        this.compiler = new Compiler(project, options.clock());
        this.executor = executor;
        this.warehouse = warehouse;
        this.ownsWarehouse = warehouse == null;
        this.database = database;
        this.mustExist = mustExist;
        this.projectSource = projectSource;
    }

    /** Starts configuring a {@code Soma}. */
    public static SomaBuilder builder() {
        return new SomaBuilder();
    }

    /** The project's name from {@code soma_project.yml}. */
    public String projectName() {
        return project.name();
    }

    /**
     * The warehouse this instance works on: the one given to the builder, or the target's database,
     * opened (with the target's settings) on this first call.
     */
    public Warehouse warehouse() {
        if (warehouse == null) {
            warehouse = target.open(project.root(), database, mustExist);
        }
        return warehouse;
    }

    /**
     * The database file this instance works on, without opening it: the given warehouse's file, else
     * the builder's {@code database}, else the target's {@code database} relative to the project
     * folder, else {@code soma.duckdb} in the project folder. Empty for an in-memory database.
     */
    public Optional<Path> databaseFile() {
        if (warehouse != null) {
            return warehouse.file();
        }
        return Optional.ofNullable(target.databaseFile(project.root(), database));
    }

    /** Where compiled SQL and artifacts go. */
    public Path targetDir() {
        return artifacts.targetDir();
    }

    /**
     * The selected nodes and, as {@code dbt ls} does, the tests of the selected models, seeds and
     * sources, in dependency order (sources included): each test right after the last node it reads.
     */
    public List<NodeInfo> list(Selection selection) {
        Set<String> selected = BuildPlan.withTests(project, graph, selection);
        List<String> ordered = graph.inOrder(selected);
        List<String> nodes = new ArrayList<>();
        Map<String, List<String>> testsAfter = new HashMap<>();
        List<String> unanchored = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            position.put(ordered.get(i), i);
        }
        for (String id : ordered) {
            if (graph.node(id) instanceof TestNode test) {
                String anchor = null;
                for (String parent : test.dependsOn()) {
                    if (position.containsKey(parent) && (anchor == null || position.get(parent) > position.get(anchor))) {
                        anchor = parent;
                    }
                }
                if (anchor == null) {
                    unanchored.add(id);
                } else {
                    testsAfter.computeIfAbsent(anchor, k -> new ArrayList<>()).add(id);
                }
            } else {
                nodes.add(id);
            }
        }
        List<NodeInfo> listed = new ArrayList<>(selected.size());
        for (String id : nodes) {
            listed.add(catalog.info(graph.node(id)));
            testsAfter.getOrDefault(id, List.of()).stream().sorted().forEach(test -> listed.add(catalog.info(graph.node(test))));
        }
        unanchored.forEach(test -> listed.add(catalog.info(graph.node(test))));
        return listed;
    }

    /**
     * What loads but is probably a mistake (e.g. a windowed model whose template never reads
     * {@code ${window.start}}), found when the project was loaded; in file order.
     */
    public List<ProjectWarning> warnings() {
        return project.warnings();
    }

    /** Selector terms of {@code selection} that match no node, for a warning. */
    public List<String> unmatched(Selection selection) {
        return new Selector(graph).unmatched(selection);
    }

    /** The node called {@code name} (a model, seed, source {@code raw.books}, or test). */
    public NodeInfo node(String name) {
        return catalog.named(name).orElseThrow(() -> new ProjectException(null, "no model, seed or source called '" + name
                + "'" + Suggestions.didYouMean(name, catalog.names()) + "; 'soma ls' lists them"));
    }

    /**
     * The documentation of the node called {@code name}: description, declared columns, tests, parents
     * and children. Reads the project only.
     *
     * @throws ProjectException if no model, seed or source has that name (the message suggests one)
     */
    public NodeDocs docs(String name) {
        NodeInfo info = node(name);
        dev.soma.models.internal.project.Node node = graph.node(info.uniqueId());
        List<dev.soma.models.internal.project.SchemaFile.ColumnEntry> declared =
                node instanceof dev.soma.models.internal.project.ModelNode model ? model.columns()
                        : node instanceof dev.soma.models.internal.project.SeedNode seed ? seed.columns()
                        : node instanceof dev.soma.models.internal.project.SourceNode source ? source.columns()
                        : List.of();
        List<NodeDocs.Column> columns = declared.stream()
                .map(column -> new NodeDocs.Column(column.name(), column.description(), column.dataType())).toList();
        List<NodeDocs.Test> tests = new java.util.ArrayList<>();
        java.util.List<String> children = new java.util.ArrayList<>();
        for (String child : new java.util.TreeSet<>(graph.children(info.uniqueId()))) {
            if (graph.node(child) instanceof dev.soma.models.internal.project.TestNode test) {
                if (info.uniqueId().equals(test.attachedTo()) || test.attachedTo() == null) {
                    tests.add(new NodeDocs.Test(test.uniqueId(), test.name(), test.column(), test.testName(),
                            test.severity().label()));
                }
            } else {
                children.add(child);
            }
        }
        List<String> parents = info.dependsOn().stream()
                .filter(parent -> !(graph.node(parent) instanceof dev.soma.models.internal.project.TestNode)).toList();
        return new NodeDocs(info, columns, tests, parents, children);
    }

    /**
     * Compiles the selected models and writes their SQL under {@code target/compiled}, and the manifest.
     * Nothing is built.
     */
    public List<CompiledNode> compile(Selection selection) {
        return new SelectionCompiler(project, graph, catalog, compiler, artifacts, options.fullRefresh(), executor)
                .compile(selection, () -> {
                    // A read-only compile with no database yet: nothing exists, every incremental model compiles in full.
                    Optional<Path> file = databaseFile();
                    return warehouse == null && mustExist && file.isPresent() && !Files.isRegularFile(file.get())
                            ? null : warehouse();
                });
    }

    /**
     * The window ledger of windowed model {@code model}, or of every windowed model when {@code null}:
     * failed windows first, then those out of audit, then locked and pending ones, then the rest.
     * Reads on a connection of its own in a read-only transaction, so it is safe to call from any
     * thread while runs go on.
     */
    public List<WindowRecord> windows(String model) {
        if (model != null) {
            node(model);
        }
        // A connection of its own, read-only: safe while runs (or an HTTP server's requests) use the warehouse.
        List<WindowLedger.Row> rows;
        try (dev.soma.core.warehouse.Session session = warehouse().openSession()) {
            rows = session.readOnly(dev.soma.core.warehouse.SqlOwner.soma("window ledger"),
                    readOnly -> new WindowLedger(readOnly).list(model));
        }
        return rows.stream()
                .map(row -> new WindowRecord(row.model(), row.start(), row.end(), row.state().name(), row.runId(),
                        row.lockedAt(), row.phase(), row.sourceCount(), row.targetCount(), row.difference(),
                        row.percentage(), row.auditStatus(), row.auditResult(), row.attempt(), row.error(), row.updatedAt()))
                .toList();
    }

    /**
     * Marks the windows of {@code model} that start in [{@code from}, {@code to}) for re-processing by
     * the next run (DONE or FAILED → PENDING; a window locked by a run is left alone).
     *
     * @return how many windows were reset
     */
    public long resetWindows(String model, Instant from, Instant to) {
        node(model);
        try (dev.soma.core.warehouse.Session session = warehouse().openSession()) {
            WindowLedger.create(session);
            return new WindowLedger(session).reset(model, from, to, options.clock().instant());
        }
    }

    /**
     * Re-audits the finished windows of windowed model {@code model} that start in [{@code from},
     * {@code to}) against the source as it is now, loading nothing: each window's source and target
     * rows are counted and checksummed again and the ledger's counts and audit updated. A window whose
     * source changed since it was loaded comes out of audit ({@link WindowRecord#needsAttention()}), and
     * {@code SomaBuilder.windows(from, to)} (or {@code --windows}) reloads it.
     *
     * @return how many windows were audited, and how many are out of audit
     */
    public WindowAuditResult auditWindows(String model, Instant from, Instant to) {
        dev.soma.models.internal.project.ModelNode node = windowedModel(model);
        try (dev.soma.core.warehouse.Session session = warehouse().openSession()) {
            WindowAudit.Result result = new WindowAudit(node, window -> compiler.compileWindow(node, window))
                    .run(session, from, to, options.clock().instant());
            return new WindowAuditResult(model, result.audited(), result.outOfAudit());
        }
    }

    private dev.soma.models.internal.project.ModelNode windowedModel(String model) {
        node(model);
        dev.soma.models.internal.project.ModelNode node = project.models().get(model);
        if (node == null || node.materialized() != dev.soma.models.internal.project.Materialization.WINDOWED) {
            throw new ProjectException(node == null ? null : dev.soma.models.error.SourceLocation.of(node.path()),
                    model + " is not a windowed model; 'soma windows' lists the windowed models' windows");
        }
        return node;
    }

    /** Builds the selected models and seeds in dependency order. */
    public RunResult run(Selection selection) {
        return lifecycle().execute(warehouse(), BuildPlan.run(project, graph, selection), selection);
    }

    /**
     * Runs the selected data tests, and the tests of the selected models, seeds and sources, against what
     * is in the warehouse now. Nothing is built.
     */
    public RunResult test(Selection selection) {
        return lifecycle().execute(warehouse(), BuildPlan.test(project, graph, selection), selection);
    }

    /**
     * Builds the selected models and seeds and runs their tests, in graph order: a node's tests run right
     * after it builds, and a failing error-severity test skips everything downstream of what it tests, so
     * nothing is built on bad data. Source freshness fails the build when stale but skips nothing.
     */
    public RunResult build(Selection selection) {
        return lifecycle().execute(warehouse(), BuildPlan.build(project, graph, selection), selection);
    }

    /**
     * Builds the selected models and seeds and runs their tests like {@link #build(Selection)}, but into
     * shadow relations next to the live ones ({@code analytics.fact_sales__audit}): a selected model reads
     * the shadows of its selected parents and the live relations of the rest, and every test runs on the
     * shadow. Live relations are not touched while it builds.
     *
     * <ul>
     *   <li>{@link Publishing#PUBLISH}: if no model failed and no error-severity test failed, every relation
     *   goes live in one transaction (tables renamed over the live ones, views recreated on live names)
     *   and the shadow is gone; otherwise nothing live changes and the shadow stays for a look.</li>
     *   <li>{@link Publishing#AUDIT}: the shadow stays, recorded, for {@link #publish()} or {@link #discard()}.</li>
     *   <li>{@link Publishing#OFF}: a plain {@link #build(Selection)}.</li>
     * </ul>
     * Every shadow build is recorded in {@code soma_meta.publishes}; a new one first drops any shadow still
     * open. Selected windowed models are left out (a plain build replaces and audits them window by window,
     * each window in its own transaction) and named in {@link PublishResult#leftOut()}.
     */
    public PublishedBuild build(Selection selection, Publishing publishing) {
        if (!publishing.shadowed()) {
            return new PublishedBuild(build(selection), null);
        }
        Warehouse warehouse = warehouse();
        List<String> windowed = new ArrayList<>();
        for (String id : new Selector(graph).select(selection)) {
            if (graph.node(id) instanceof dev.soma.models.internal.project.ModelNode model
                    && model.materialized() == dev.soma.models.internal.project.Materialization.WINDOWED) {
                windowed.add(model.name());
            }
        }
        Selection shadowed = windowed.isEmpty() ? selection : selection.excluding(String.join(" ", windowed));
        ShadowBuild shadow = ShadowBuild.plan(project, graph, BuildPlan.build(project, graph, shadowed).nodes(), publishing,
                options.clock(), options.listener()).leavingOut(windowed);
        try (Session session = warehouse.openSession()) {
            shadow.prepare(session, options.fullRefresh());
        }
        Project shadowProject = shadow.shadowProject();
        ModelGraph shadowGraph = shadow.shadowGraph();
        RunLifecycle lifecycle = new RunLifecycle(shadowProject, shadowGraph, new NodeCatalog(shadowGraph),
                new Compiler(shadowProject, options.clock()), artifacts, options, executor);
        RunResult run = lifecycle.execute(warehouse, BuildPlan.build(shadowProject, shadowGraph, shadowed), shadowed, graph,
                shadow);
        return new PublishedBuild(run, shadow.result());
    }

    /** How {@code soma build} reaches live relations on this target: {@code publish: true} in its block, or not. */
    public Publishing defaultPublishing() {
        return target.publishes() ? Publishing.PUBLISH : Publishing.OFF;
    }

    /**
     * Makes the newest audited shadow live, in one transaction (seed 002's "promote on request").
     *
     * @throws PublishRefusedException when there is no shadow, its audit failed, or a live relation changed
     *                                 since the audit (each table's rows and columns, each view's definition,
     *                                 compared with what they were when it was audited); nothing is changed
     */
    public PublishResult publish() {
        try (Session session = warehouse().openSession()) {
            return publish(session);
        }
    }

    private PublishResult publish(Session session) {
        PublishLedger ledger = new PublishLedger(session);
        PublishLedger.Row open = ledger.latestOpen().orElseThrow(() -> new PublishRefusedException(
                PublishRefusedException.Reason.NO_SHADOW, List.of(), "nothing to publish in " + warehouse().describe()
                + ": no audited shadow; build one with 'soma build --audit' (or build and publish at once with 'soma build --publish')"));
        List<PublishLedger.Entry> entries = ledger.entries(open.runId());
        List<ShadowRelation> relations = entries.stream().map(PublishLedger.Entry::relation).toList();
        if (open.state() == PublishState.BUILDING) {
            throw new PublishRefusedException(PublishRefusedException.Reason.NO_SHADOW, List.of(),
                    "cannot publish run " + open.runId() + ": it stopped while building its shadow (killed, or still "
                            + "running) and was never audited; nothing was changed. Build again (soma build --publish or "
                            + "--audit), or drop what it left with 'soma publish --discard'");
        }
        if (open.state() == PublishState.FAILED) {
            throw new PublishRefusedException(PublishRefusedException.Reason.AUDIT_FAILED, List.of(),
                    "cannot publish run " + open.runId() + ": its audit failed (" + String.join(", ", open.failedTests())
                            + "); nothing was changed. Fix what failed and build again, or drop the shadow with 'soma publish --discard'");
        }
        options.listener().publishStarted(entries.size());
        long start = System.nanoTime();
        Publisher.publish(session, open.runId(), entries, true, options.clock().instant());
        PublishResult result = new PublishResult(open.runId(), PublishState.PUBLISHED, relations, List.of(),
                options.clock().instant(), Duration.ofNanos(System.nanoTime() - start), List.of());
        options.listener().publishFinished(result);
        return result;
    }

    /**
     * Drops the open shadow (audited or failed) without touching anything live.
     *
     * @throws PublishRefusedException when there is no open shadow
     */
    public PublishResult discard() {
        try (Session session = warehouse().openSession()) {
            return discard(session);
        }
    }

    private PublishResult discard(Session session) {
        PublishLedger ledger = new PublishLedger(session);
        PublishLedger.Row open = ledger.latestOpen().orElseThrow(() -> new PublishRefusedException(
                PublishRefusedException.Reason.NO_SHADOW, List.of(), "nothing to discard in " + warehouse().describe()
                + ": no shadow is open"));
        List<PublishLedger.Entry> entries = ledger.entries(open.runId());
        long start = System.nanoTime();
        Publisher.discard(session, open.runId(), entries, options.clock().instant());
        return new PublishResult(open.runId(), PublishState.DISCARDED,
                entries.stream().map(PublishLedger.Entry::relation).toList(), open.failedTests(), null,
                Duration.ofNanos(System.nanoTime() - start), List.of());
    }

    /** Every write-audit-publish build recorded in {@code soma_meta.publishes}, newest first, with its relations. */
    public List<PublishResult> publishes() {
        try (Session session = warehouse().openSession()) {
            PublishLedger ledger = new PublishLedger(session);
            return ledger.all().stream().map(row -> new PublishResult(row.runId(), row.state(),
                    ledger.entries(row.runId()).stream().map(PublishLedger.Entry::relation).toList(), row.failedTests(),
                    row.publishedAt(), Duration.ZERO, List.of())).toList();
        }
    }

    private RunLifecycle lifecycle() {
        return new RunLifecycle(project, graph, catalog, compiler, artifacts, options, executor);
    }

    /**
     * Stops this instance's threads, closes the warehouse if this instance opened it, and the project's
     * file system if it came from a jar.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (ownsWarehouse && warehouse != null) {
                warehouse.close();
            }
        } finally {
            SomaBuilder.closeQuietly(projectSource);
        }
    }
}
