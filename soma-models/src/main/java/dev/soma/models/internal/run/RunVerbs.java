package dev.soma.models.internal.run;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.PreviousRun;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.materialize.CatalogAtOpen;
import dev.soma.models.internal.plan.BuildPlan;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.selection.Selector;
import dev.soma.models.internal.state.DatabaseName;
import dev.soma.models.internal.state.Deferral;
import dev.soma.models.internal.state.StateOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code soma run}, {@code soma test}, {@code soma build}, {@code soma snapshot} and {@code soma retry}: plans the
 * selection ({@link BuildPlan}) and executes the plan as one run ({@link RunLifecycle}). With {@code --defer}, each
 * run first decides which unselected models it reads from the state ({@link Deferral}). Each run works on
 * connections of its own.
 */
public final class RunVerbs {

    private final Project project;
    private final ModelGraph graph;
    private final NodeCatalog catalog;
    private final ArtifactWriter artifacts;
    private final RunOptions options;
    private final Executor background;
    private final RunLifecycle lifecycle;
    private final Supplier<Warehouse> warehouse;
    private final Selector selector;
    private final StateOptions state;
    private final Supplier<DatabaseName> database;
    private final Supplier<CatalogAtOpen> catalogAtOpen;

    public RunVerbs(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler, ArtifactWriter artifacts,
                    RunOptions options, Executor background, Supplier<Warehouse> warehouse) {
        this(project, graph, catalog, compiler, artifacts, options, background, warehouse, new Selector(graph),
                StateOptions.none(null), () -> DatabaseName.of(java.util.Optional.empty()), () -> null);
    }

    /**
     * @param selector selects (knowing {@code --state}, when given)
     * @param state    what runs compare with and defer to
     * @param database the database runs build in, to tell it from the state's
     * @param catalogAtOpen asked right after the first {@code warehouse.get()}: the catalog as the early open read it,
     *                      or {@code null} ({@link CatalogAtOpen})
     */
    public RunVerbs(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler, ArtifactWriter artifacts,
                    RunOptions options, Executor background, Supplier<Warehouse> warehouse, Selector selector,
                    StateOptions state, Supplier<DatabaseName> database, Supplier<CatalogAtOpen> catalogAtOpen) {
        this.project = project;
        this.graph = graph;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.options = options;
        this.background = background;
        this.lifecycle = new RunLifecycle(project, graph, catalog, compiler, artifacts, options, background, java.util.Set.of(),
                state.invocation());
        this.warehouse = warehouse;
        this.selector = selector;
        this.state = state;
        this.database = database;
        this.catalogAtOpen = catalogAtOpen;
    }

    /** Builds the selected models and seeds in dependency order. */
    public RunResult run(Selection selection) {
        return execute(s -> BuildPlan.run(project, graph, s, selection), selection);
    }

    /** Runs the selected snapshots in dependency order, each in one transaction. */
    public RunResult snapshot(Selection selection) {
        return execute(s -> BuildPlan.snapshot(project, graph, s, selection), selection);
    }

    /** Runs the selected tests and those of the selected nodes. */
    public RunResult test(Selection selection) {
        return execute(s -> BuildPlan.test(project, graph, s, selection), selection);
    }

    /** Builds the selected models and seeds and runs their tests, each node's tests right after it. */
    public RunResult build(Selection selection) {
        return execute(s -> BuildPlan.build(project, graph, s, selection), selection);
    }

    /**
     * Reruns what {@code previous} recorded as errored, failed or skipped, with its verb, in graph order: exactly
     * those nodes (dbt's retry). Nothing to rerun: an empty result, and the artifacts are left as they are.
     */
    public RunResult retry(PreviousRun previous) {
        List<String> ids = previous.retry().stream().filter(graph::contains).toList();
        if (ids.isEmpty()) {
            return new RunResult("none", previous.command(), options.clock().instant(), Duration.ZERO, List.of());
        }
        Selection selection = Selection.of(ids.stream().map(id -> "unique_id:" + id).collect(Collectors.joining(" ")));
        return switch (previous.command()) {
            case RUN -> run(selection);
            case TEST -> test(selection);
            // exactly the recorded nodes: build would otherwise add the tests that passed on them
            case BUILD -> execute(s -> BuildPlan.build(project, graph, s, selection).only(ids), selection);
            case SNAPSHOT -> snapshot(selection);
        };
    }

    private RunResult execute(Function<Selector, BuildPlan> planner, Selection selection) {
        Warehouse opened = warehouse.get();
        CatalogAtOpen atOpen = catalogAtOpen.get();
        BuildPlan plan = planner.apply(selector);
        if (!state.defers()) {
            return lifecycle.execute(opened, plan, selection, atOpen);
        }
        try (Session session = opened.openSession()) {
            Deferral.Plan deferred = new Deferral(state.manifest(), state.favorState(), database.get())
                    .plan(graph, plan.nodes(), session);
            deferred.attach(session);
            try {
                Compiler deferring = new Compiler(project, opened.engine(), options.clock(), options.empty(), deferred.refs());
                return new RunLifecycle(project, graph, catalog, deferring, artifacts, options, background,
                        deferred.ids().keySet(), state.invocation()).execute(opened, plan, selection);
            } finally {
                deferred.detach(session);
            }
        }
    }
}
