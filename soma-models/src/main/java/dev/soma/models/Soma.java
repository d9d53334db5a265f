package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.*;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.PublishRefusedException;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.compile.RenderCache;
import dev.soma.models.internal.database.LazyWarehouse;
import dev.soma.models.internal.database.Target;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.listing.NodeListing;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.publish.WriteAuditPublish;
import dev.soma.models.internal.run.CompiledSqlWriter;
import dev.soma.models.internal.run.RunOptions;
import dev.soma.models.internal.run.RunVerbs;
import dev.soma.models.internal.window.WindowVerbs;
import dev.soma.models.internal.diff.TableDiffer;
import dev.soma.models.internal.state.DatabaseName;
import dev.soma.models.internal.state.StateOptions;
import dev.soma.models.internal.state.StateVerbs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * A loaded project bound to a warehouse: the entry point of the modelling engine. A facade: each verb
 * is one call into the class that does it ({@code internal.run}, {@code internal.publish},
 * {@code internal.window}, {@code internal.listing}).
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
 * to learn which incremental models exist. Verbs are not meant to run concurrently on one instance
 * ({@link #windows} excepted); two instances on two warehouses share nothing.
 */
public final class Soma implements AutoCloseable {

    private final Project project;
    private final Target target;
    private final ArtifactWriter artifacts;
    private final ExecutorService executor;
    private final LazyWarehouse warehouse;
    private final AutoCloseable projectSource;
    private final RunVerbs runs;
    private final CompiledSqlWriter compiledSql;
    private final NodeListing listing;
    private final WindowVerbs windows;
    private final WriteAuditPublish publishing;

    private final StateVerbs state;
    private final TableDiffer differ;

    Soma(Project project, ModelGraph graph, Target target, RunOptions options, Path targetDir, ExecutorService executor,
         LazyWarehouse warehouse, AutoCloseable projectSource, StateOptions stateOptions, RenderCache renders) {
        this.project = project;
        this.target = target;
        this.artifacts = new ArtifactWriter(targetDir, options.clock(), () -> DatabaseName.of(warehouse.file()));
        this.executor = executor;
        this.warehouse = warehouse;
        this.projectSource = projectSource;
        NodeCatalog catalog = new NodeCatalog(graph);
        Compiler compiler = new Compiler(project, warehouse.engine(), options.clock(), options.empty(), java.util.Map.of(), renders);
        this.state = new StateVerbs(project, graph, compiler, artifacts, stateOptions);
        this.runs = new RunVerbs(project, graph, catalog, compiler, artifacts, options, executor, warehouse::get, state.selector(),
                stateOptions, () -> DatabaseName.of(warehouse.file()), warehouse::takeCatalogAtOpen);
        this.compiledSql = new CompiledSqlWriter(project, graph, catalog, compiler, artifacts, options.fullRefresh(), executor,
                state.selector());
        this.listing = new NodeListing(project, graph, catalog, state.selector());
        this.differ = new TableDiffer(project, stateOptions, warehouse);
        this.windows = new WindowVerbs(project, listing, compiler, options.clock(), warehouse::get);
        this.publishing = new WriteAuditPublish(project, graph, artifacts, options, executor, warehouse::get, state.selector());
    }

    /** Starts configuring a {@code Soma}. */
    public static SomaBuilder builder() {
        return new SomaBuilder();
    }

    /** The project's name from {@code soma_project.yml}. */
    public String projectName() {
        return project.name();
    }

    /** The warehouse given to the builder, or the target's database, opened (with its settings) on this first call. */
    public Warehouse warehouse() {
        return warehouse.get();
    }

    /** The database file, not opened: the given warehouse's, the builder's, the target's, or soma.duckdb; empty: in memory. */
    public Optional<Path> databaseFile() {
        return warehouse.file();
    }

    /** Where compiled SQL and artifacts go. */
    public Path targetDir() {
        return artifacts.targetDir();
    }

    /** The selected nodes and, as {@code dbt ls} does, their tests, in dependency order: each test after what it reads. */
    public List<NodeInfo> list(Selection selection) {
        return listing.list(selection);
    }

    /** What loads but is probably a mistake (a windowed model that never reads {@code ${window.start}}), in file order. */
    public List<ProjectWarning> warnings() {
        return project.warnings();
    }

    /** Selector terms of {@code selection} that match no node, for a warning. */
    public List<String> unmatched(Selection selection) {
        return listing.unmatched(selection);
    }

    /** The node called {@code name} (a model, seed, source {@code raw.books}, or test). */
    public NodeInfo node(String name) {
        return listing.node(name);
    }

    /** The docs of node {@code name}: description, columns, tests, parents, children (unknown: {@link ProjectException}). */
    public NodeDocs docs(String name) {
        return listing.docs(name);
    }

    /** Writes the selected models' SQL under {@code target/compiled}, and the manifest. Builds nothing. */
    public List<CompiledNode> compile(Selection selection) {
        return compiledSql.write(selection, warehouse::getIfExists);
    }

    /**
     * The window ledger of {@code model} ({@code null}: all), what needs a look first. Safe from any thread while runs go on.
     */
    public List<WindowRecord> windows(String model) {
        return windows.list(model);
    }

    /** Marks the DONE or FAILED windows of {@code model} starting in [from, to) PENDING; returns how many. */
    public long resetWindows(String model, Instant from, Instant to) {
        return windows.reset(model, from, to, false).reset();
    }

    /** As {@link #resetWindows(String, Instant, Instant)}; with {@code force} locked windows too, their locks taken. */
    public WindowResetResult resetWindows(String model, Instant from, Instant to, boolean force) {
        return windows.reset(model, from, to, force);
    }

    /** Re-audits the finished windows of {@code model} starting in [from, to) against the source now, loading nothing. */
    public WindowAuditResult auditWindows(String model, Instant from, Instant to) {
        return windows.audit(model, from, to);
    }

    /** How each selected model differs from the state given with {@code --state} (none given: empty), in graph order. */
    public List<ModelChange> changes(Selection selection) {
        return state.changes(selection);
    }

    /** Reruns the nodes {@code previous} ({@link PreviousRun#read} of {@link #targetDir}) recorded as errored, failed or skipped, with its verb, in graph order. */
    public RunResult retry(PreviousRun previous) {
        return runs.retry(previous);
    }

    /** Compares a relation on two sides (targets, the state, relation names): docs/ci.md. */
    public DiffResult diff(DiffRequest request) {
        return differ.diff(request);
    }

    /** Builds the selected models and seeds in dependency order. */
    public RunResult run(Selection selection) {
        return runs.run(selection);
    }

    /** Runs the selected tests and those of the selected nodes against the warehouse as it is. Builds nothing. */
    public RunResult test(Selection selection) {
        return runs.test(selection);
    }

    /**
     * Builds the selected models and seeds and runs their tests, each right after what it tests: a failing
     * error-severity test skips everything downstream of it, so nothing is built on bad data.
     */
    public RunResult build(Selection selection) {
        return runs.build(selection);
    }

    /** Runs the selected snapshots (dbt's SCD type 2), each in one transaction. */
    public RunResult snapshot(Selection selection) {
        return runs.snapshot(selection);
    }

    /**
     * Builds and tests like {@link #build(Selection)}, but into shadow relations next to the live ones
     * (docs/publishing.md). {@link Publishing#PUBLISH}: if nothing failed, all goes live in one transaction,
     * else the shadow stays for a look; {@link Publishing#AUDIT}: it stays for {@link #publish()} or
     * {@link #discard()}; {@link Publishing#OFF}: a plain build. Windowed models are left out.
     */
    public PublishedBuild build(Selection selection, Publishing publishing) {
        return publishing.shadowed() ? this.publishing.build(selection, publishing) : new PublishedBuild(build(selection), null);
    }

    /** How {@code soma build} reaches live relations on this target: {@code publish: true} in its block, or not. */
    public Publishing defaultPublishing() {
        return target.publishes() ? Publishing.PUBLISH : Publishing.OFF;
    }

    /**
     * Makes the newest audited shadow live, in one transaction.
     *
     * @throws PublishRefusedException when there is no shadow, its audit failed, or a live relation changed
     */
    public PublishResult publish() {
        return publishing.publish();
    }

    /** Drops the open shadow (audited or failed) without touching anything live; refused when there is none. */
    public PublishResult discard() {
        return publishing.discard();
    }

    /** Every shadow build recorded in {@code soma_meta.publishes}, newest first, with its relations. */
    public List<PublishResult> publishes() {
        return publishing.history();
    }

    /** Stops the threads, closes the warehouse if this opened it, and the project's jar file system. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            warehouse.close();
        } finally {
            SomaBuilder.closeQuietly(projectSource);
        }
    }
}
