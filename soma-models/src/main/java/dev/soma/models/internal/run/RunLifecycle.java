package dev.soma.models.internal.run;

import dev.soma.core.SomaVersion;
import dev.soma.core.concurrent.Completions;
import dev.soma.core.error.SomaException;
import dev.soma.core.runstore.NodeRecord;
import dev.soma.core.runstore.RunRecord;
import dev.soma.core.runstore.RunStatus;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.Command;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.Relation;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.UnbuiltParentException;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.datatest.TestExecutor;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.materialize.CatalogAtOpen;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.materialize.RelationTypes;
import dev.soma.models.internal.materialize.ViewLedger;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.materialize.RunIncrements;
import dev.soma.models.internal.plan.BuildPlan;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.template.TemplateOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One run from start to end: create the schemas it builds into, record it in {@code soma_meta} as
 * running, run the {@code on_run_start} hooks, execute the plan, run the {@code on_run_end} hooks,
 * write the artifacts, and record how it ended.
 *
 * <p>What ran is always recorded: once nodes have run, a failing {@code on_run_end} hook or an
 * artifact that cannot be written becomes one of the run's {@link RunResult#errors()}, and the run
 * is recorded as an error with every node's result, never left {@code running}.
 */
public final class RunLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final Project project;
    private final ModelGraph graph;
    private final NodeCatalog catalog;
    private final Compiler compiler;
    private final ArtifactWriter artifacts;
    private final RunOptions options;
    private final Executor background;

    /** @param background where the manifest is written while the run goes on */
    public RunLifecycle(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler, ArtifactWriter artifacts,
                        RunOptions options, Executor background) {
        this(project, graph, catalog, compiler, artifacts, options, background, Set.of(), Map.of());
    }

    /** Models and seeds this run reads from elsewhere ({@code --defer}): a test reading them is not skipped as unbuilt. */
    private final Set<String> deferred;
    /** Flags beyond {@link RunOptions} to record in run_results.json's args (target, state, defer), for {@code soma retry}. */
    private final Map<String, Object> invocation;

    /**
     * @param deferred   unique ids of nodes read from the state's relations ({@code --defer})
     * @param invocation flags to record in run_results.json's {@code args} beside the run options
     */
    public RunLifecycle(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler, ArtifactWriter artifacts,
                        RunOptions options, Executor background, Set<String> deferred, Map<String, Object> invocation) {
        this.deferred = Set.copyOf(deferred);
        this.invocation = new LinkedHashMap<>(invocation);
        this.project = project;
        this.graph = graph;
        this.catalog = catalog;
        this.compiler = compiler;
        this.artifacts = artifacts;
        this.options = options;
        this.background = background;
    }

    /**
     * What a write-audit-publish build adds to a run: its run id (recorded before the run, with the shadow
     * it plans), how models build and tests are named in the shadow, and, once the nodes have run, before
     * the {@code on_run_end} hooks and the artifacts: judge the audit, record it, publish.
     */
    public interface ShadowHooks {
        /** The id the run records itself under. */
        String runId();

        /**
         * @param session the run's own connection
         * @return the run, with any error of this step added
         */
        RunResult afterNodes(Session session, RunResult run);

        /** Whether what was built is now live (so its inputs' generations may be recorded). */
        boolean wentLive();

        /**
         * Incremental models (by unique id) whose shadow reads their live table, with that table: their
         * increment is built beside it, not into a copy ({@code Materializer#incrementOverLive}).
         */
        Map<String, Relation> incrementsOverLive();

        /** {@code existing} with the shadow relations made before the run, which its catalog read may not show. */
        default RelationTypes withShadows(RelationTypes existing) {
            return existing;
        }

        /** {@code sql} with every shadow relation it names replaced by its live relation. */
        String onLiveNames(String sql);

        /** The project on its live relation names, as the manifest describes it. */
        Project liveProject();
    }

    /** Models built in this plan that a planned test is attached to: their increments are worth keeping. */
    private static Set<String> testedModels(BuildPlan plan) {
        Set<String> built = new HashSet<>(plan.nodes());
        Set<String> tested = new HashSet<>();
        for (TestNode test : plan.tests()) {
            if (test.attachedTo() != null && built.contains(test.attachedTo())) {
                tested.add(test.attachedTo());
            }
        }
        return tested;
    }

    private static void dropIncrementsQuietly(Session session, RunIncrements increments, RuntimeException failure) {
        try {
            increments.dropAll(session);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Executes {@code plan} on {@code warehouse}; {@code selection} is recorded in the run results. */
    public RunResult execute(Warehouse warehouse, BuildPlan plan, Selection selection) {
        return execute(warehouse, plan, selection, null, null, null);
    }

    /**
     * As {@link #execute(Warehouse, BuildPlan, Selection)}, with the catalog as it was when the database opened, which
     * nothing has written to since ({@link CatalogAtOpen}); {@code null}: it is read now.
     */
    public RunResult execute(Warehouse warehouse, BuildPlan plan, Selection selection, CatalogAtOpen atOpen) {
        return execute(warehouse, plan, selection, null, null, atOpen);
    }

    /**
     * Executes {@code plan} on {@code warehouse}, then {@code after}.
     *
     * @param liveGraph the graph whose relation names are live, for the record of replaced inputs (this
     *                  lifecycle's graph may name shadows); {@code null}: this lifecycle's graph
     * @param after     run once the nodes are done; {@code null}: nothing
     */
    public RunResult execute(Warehouse warehouse, BuildPlan plan, Selection selection, ModelGraph liveGraph,
                             ShadowHooks after) {
        return execute(warehouse, plan, selection, liveGraph, after, null);
    }

    private RunResult execute(Warehouse warehouse, BuildPlan plan, Selection selection, ModelGraph liveGraph,
                              ShadowHooks after, CatalogAtOpen atOpen) {
        // The run's own connection, never the warehouse's shared one: two runs on one Warehouse object
        // (threads of an embedding app) must not interleave statements or transactions on one connection.
        try (Session main = warehouse.openSession()) {
            return execute(warehouse, main, plan, selection, liveGraph, after, atOpen);
        }
    }

    private RunResult execute(Warehouse warehouse, Session main, BuildPlan plan, Selection selection,
                              ModelGraph liveGraph, ShadowHooks after, CatalogAtOpen atOpen) {
        String runId = after == null ? UUID.randomUUID().toString() : after.runId();
        Instant started = options.clock().instant();
        long startNanos = System.nanoTime();
        // The manifest describes the project as readers see it: a publish build's on its live names. Started first:
        // on a large project it takes longer than the run's own work, which waits for it at the end.
        CompletableFuture<Path> manifest = after == null || liveGraph == null
                ? artifacts.writeManifestAsync(project, graph, background)
                : artifacts.writeManifestAsync(after.liveProject(), liveGraph, background);
        compiler.preloadRenders(background);
        artifacts.preloadCompiledIndex(background);
        Set<String> schemas = schemasOf(plan.nodes());
        schemas.forEach(main::createSchema);
        Set<String> readSchemas = new TreeSet<>(schemas);
        plan.tests().forEach(test -> readSchemas.addAll(schemasOf(test.dependsOn())));
        // every schema's relations, read at open: a superset of these schemas' (created now, they hold nothing new)
        RelationTypes loaded = atOpen != null ? atOpen.relations() : RelationTypes.load(main, readSchemas);
        RelationTypes existing = after == null ? loaded : after.withShadows(loaded);
        Map<String, List<Node>> missingParents = missingParents(plan, existing);
        ReplacedInputs replaced = ReplacedInputs.read(main, liveGraph == null ? graph : liveGraph, plan.nodes());
        if (TestExecutor.storesFailures(plan.tests())) {
            main.createSchema(TestExecutor.FAILURES_SCHEMA);
        }
        RunIncrements increments = new RunIncrements(options.fullTest() ? Set.of() : testedModels(plan));
        Map<String, Relation> overLive = after == null ? Map.of() : after.incrementsOverLive();
        Predicate<String> batched = batchable(main, existing, missingParents, overLive);
        ViewFreshness views = viewFreshness(main, plan, batched, after != null, atOpen);
        NodeExecutor nodes = new NodeExecutor(project, compiler, artifacts, options.fullRefresh(), options.clock(), catalog,
                runId, started, options.windows(), replaced.stale(), options.threads(), warehouse::openSession, increments,
                overLive, views, batched);
        TestExecutor tests = new TestExecutor(project, compiler, artifacts, options.clock(), plan.tests(), options.foldTests(),
                catalog, options.fullTest() ? null : increments, after == null ? UnaryOperator.identity() : after::onLiveNames);
        RunStore store = new RunStore(main);
        store.runStarted(new RunRecord(runId, plan.command().label(), started, null, RunStatus.RUNNING, plan.nodes().size(),
                SomaVersion.get()));
        options.listener().runStarted(plan.command(), plan.nodes().size());

        List<NodeResult> results;
        try {
            runHooks(main, "on_run_start", project.settings().onRunStart());
            Runner.Task task = new Runner.Task() {
                @Override
                public NodeResult execute(String id, Session session) {
                    return missingParents.containsKey(id)
                            ? unbuilt(graph.node(id), missingParents.get(id), plan.command())
                            : nodes.execute(graph.node(id), session, existing, tests);
                }

                @Override
                public void beforeCommit(Session session) {
                    views.flush(session);
                }

                @Override
                public void afterRollback(Session session) {
                    views.discard(session);
                }
            };
            results = new Runner(warehouse, options.threads(), options.failFast(), options.listener(), options.clock())
                    .run(new Runner.Plan(graph, plan.nodes(), plan.gates(), plan.testIds(), catalog::info), task,
                            new Runner.Batching(batched, BATCH_SIZE));
        } catch (RuntimeException e) {
            // Nothing ran (a start hook or the warehouse failed): recorded as such, never left "running".
            dropIncrementsQuietly(main, increments, e);
            manifest.cancel(false);
            store.runFinished(runId, options.clock().instant(), RunStatus.ERROR, List.of());
            throw e;
        }

        compiler.saveRenders();
        artifacts.saveCompiledIndex();
        RunResult result = new RunResult(runId, plan.command(), started, Duration.ofNanos(System.nanoTime() - startNanos),
                results);
        if (after != null) {
            try {
                result = after.afterNodes(main, result);
            } catch (SomaException e) {
                result = result.withError(e);
            }
        }
        try {
            increments.dropAll(main);
        } catch (SomaException e) {
            result = result.withError(e);
        }
        try {
            if (after == null || after.wentLive()) {
                replaced.recordBuilt(main, results);
            }
        } catch (SomaException e) {
            result = result.withError(e);
        }
        try {
            runHooks(main, "on_run_end", project.settings().onRunEnd());
        } catch (SomaException e) {
            result = result.withError(e);
        }
        try {
            ArtifactWriter.await(manifest);
        } catch (SomaException e) {
            result = result.withError(e);
        }
        // run_results.json is written on the background thread while the nodes' records are appended here; the run's
        // status, which a failure to write it turns into an error, is asked for last, inside the store's transaction.
        RunResult ran = result;
        CompletableFuture<RunResult> runResults = CompletableFuture.supplyAsync(() -> {
            try {
                artifacts.writeRunResults(project.name(), ran, arguments(plan, selection));
                return ran;
            } catch (SomaException e) {
                return ran.withError(e);
            }
        }, background);
        try {
            store.runFinished(runId, options.clock().instant(),
                    () -> Completions.join(runResults).isSuccess() ? RunStatus.SUCCESS : RunStatus.ERROR, records(results));
        } finally {
            // never leave the file half-written behind a failed store: the executor is shut down right after
            runResults.exceptionally(e -> null).join();
        }
        result = Completions.join(runResults);
        for (SomaException error : result.errors()) {
            LOG.debug("run {} ended with an error outside its nodes", runId, error);
        }
        options.listener().runFinished(result);
        return result;
    }

    /**
     * Views built in one transaction per batch ({@link Runner.Batching}): a commit per view is most of what a
     * view costs on a file database with a large catalog. A batch holds at most this many.
     */
    private static final int BATCH_SIZE = 1000;

    /**
     * Nodes that may share a transaction: view models with one statement to run (no hooks, no contract to
     * check, no table of that name to drop first), on an engine with transactions.
     */
    private Predicate<String> batchable(Session main, RelationTypes existing, Map<String, List<Node>> missingParents,
                                        Map<String, Relation> overLive) {
        if (!main.engine().supportsTransactions()) {
            return id -> false;
        }
        return id -> graph.contains(id) && !missingParents.containsKey(id) && !overLive.containsKey(id)
                && graph.node(id) instanceof ModelNode model && model.materialized() == Materialization.VIEW
                && model.config().preHooks().isEmpty() && model.config().postHooks().isEmpty() && !model.contractEnforced()
                && existing.typeOf(model.relation()) != RelationType.TABLE;
    }

    /**
     * Which views may be kept: not with {@code --full-refresh}; never recorded in a shadow build (publishing
     * re-creates the live views) or with deferred relations (the SQL reads another environment's).
     */
    private ViewFreshness viewFreshness(Session main, BuildPlan plan, Predicate<String> batched, boolean shadow,
                                        CatalogAtOpen atOpen) {
        if (plan.nodes().stream().noneMatch(batched)) {
            return ViewFreshness.off(graph);
        }
        boolean record = !shadow && deferred.isEmpty();
        if (record) {
            ViewLedger.ensureTable(main);
        }
        Map<String, String> recorded = !record ? Map.of() : atOpen != null ? atOpen.fingerprints() : ViewLedger.load(main);
        return new ViewFreshness(graph, !options.fullRefresh(), record, recorded);
    }

    private Map<String, Object> arguments(BuildPlan plan, Selection selection) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("command", plan.command().label());
        args.put("which", plan.command().label());
        args.put("select", selection.select());
        args.put("exclude", selection.exclude());
        args.put("threads", options.threads());
        args.put("full_refresh", options.fullRefresh());
        args.put("full_test", options.fullTest());
        args.put("fail_fast", options.failFast());
        args.put("empty", options.empty());
        args.put("allow_unbuilt", options.allowUnbuilt());
        args.put("vars", options.vars());
        args.putAll(invocation);
        return args;
    }

    /**
     * dbt's rule for a test's parents: a test runs only when every model or seed it reads is built by
     * this run or already exists. For each test that cannot run, the names of the missing parents (an
     * ephemeral parent is inlined, so what it reads counts instead). Sources are not checked: a missing
     * raw table is an error the test reports.
     */
    private Map<String, List<Node>> missingParents(BuildPlan plan, RelationTypes existing) {
        Map<String, List<Node>> missing = new LinkedHashMap<>();
        for (TestNode test : plan.tests()) {
            Map<String, Node> absent = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            ArrayDeque<String> queue = new ArrayDeque<>(test.dependsOn());
            while (!queue.isEmpty()) {
                String id = queue.poll();
                if (!seen.add(id) || !graph.contains(id) || plan.nodes().contains(id) || deferred.contains(id)) {
                    continue;
                }
                Node parent = graph.node(id);
                if (parent instanceof ModelNode model && model.isEphemeral()) {
                    queue.addAll(graph.parents(id));
                } else if ((parent instanceof ModelNode || parent instanceof SeedNode) && parent.relation() != null
                        && existing.typeOf(parent.relation()) == null) {
                    absent.put(parent.name(), parent);
                }
            }
            if (!absent.isEmpty()) {
                missing.put(test.uniqueId(), List.copyOf(absent.values()));
            }
        }
        return missing;
    }

    /**
     * A test whose parents were never built: in {@code soma test} an error, as in dbt (the test could not
     * run), unless {@code allowUnbuilt} says to skip it; in {@code run} and {@code build} skipped (a parent
     * outside the selection, not built yet), gating nothing.
     */
    private NodeResult unbuilt(Node test, List<Node> missing, Command command) {
        List<String> relations = missing.stream().map(parent -> parent.relation().toString()).toList();
        String what = missing.stream().map(parent -> parent.relation() + " (" + kind(parent) + " " + parent.name() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        String reads = "it reads " + what + ", which " + (missing.size() == 1 ? "is" : "are") + " not in the database";
        if (command != Command.TEST) {
            return NodeResult.skipped(catalog.info(test), skipReason(missing.stream().map(Node::name).toList()));
        }
        if (options.allowUnbuilt()) {
            return NodeResult.skipped(catalog.info(test), "skipped (--allow-unbuilt): " + reads + "; run soma build first");
        }
        UnbuiltParentException error = new UnbuiltParentException(test.name(), relations, "could not run: " + reads
                + "; run soma build first (soma build -s " + String.join(" ", missing.stream().map(Node::name).toList())
                + "), or pass --allow-unbuilt to skip the tests of unbuilt models");
        return new NodeResult(catalog.info(test), NodeStatus.ERROR, error.getMessage(), -1, -1, List.of(), null,
                Duration.ZERO, null, null, error);
    }

    private static String kind(Node node) {
        return node instanceof SeedNode ? "seed" : "model";
    }

    private static String skipReason(List<String> missing) {
        String names = String.join(", ", missing);
        return "skipped: " + (missing.size() == 1 ? "it reads " + names + ", which is" : "it reads " + names + ", which are")
                + " neither selected nor built yet; build " + (missing.size() == 1 ? "it" : "them")
                + " first (soma build -s " + String.join(" ", missing) + ") or add " + (missing.size() == 1 ? "it" : "them")
                + " to the selection";
    }

    private Set<String> schemasOf(Collection<String> ids) {
        Set<String> schemas = new TreeSet<>();
        for (String id : ids) {
            Node node = graph.contains(id) ? graph.node(id) : null;
            if (node != null && node.relation() != null && !(node instanceof SourceNode)) {
                schemas.add(node.relation().schema());
            }
        }
        return schemas;
    }

    private void runHooks(Session session, String kind, List<String> hooks) {
        for (int i = 0; i < hooks.size(); i++) {
            String name = "soma_project.yml#" + kind + "[" + i + "]";
            String sql = compiler.renderText(name, hooks.get(i), TemplateOwner.hook(kind, i), null);
            if (!sql.isBlank()) {
                session.execute(new SqlOwner("hook", kind + "[" + i + "]"), sql);
            }
        }
    }

    private static List<NodeRecord> records(List<NodeResult> results) {
        List<NodeRecord> records = new ArrayList<>(results.size());
        for (NodeResult r : results) {
            records.add(new NodeRecord(r.uniqueId(), r.name(), r.node().resourceType().label(), r.status().label(),
                    r.rowsAffected(), r.failures(), r.startedAt(), r.duration().toNanos() / 1e6, r.message(),
                    r.compiledPath() == null ? null : r.compiledPath().toString(), r.checksum()));
        }
        return records;
    }
}
