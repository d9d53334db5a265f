package dev.soma.models.internal.run;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.plan.BuildPlan;
import dev.soma.models.internal.project.Project;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code soma run}, {@code soma test}, {@code soma build} and {@code soma snapshot}: plans the selection ({@link BuildPlan}) and
 * executes the plan as one run ({@link RunLifecycle}). Each run works on connections of its own.
 */
public final class RunVerbs {

    private final Project project;
    private final ModelGraph graph;
    private final RunLifecycle lifecycle;
    private final Supplier<Warehouse> warehouse;

    public RunVerbs(Project project, ModelGraph graph, NodeCatalog catalog, Compiler compiler, ArtifactWriter artifacts,
                    RunOptions options, Executor background, Supplier<Warehouse> warehouse) {
        this.project = project;
        this.graph = graph;
        this.lifecycle = new RunLifecycle(project, graph, catalog, compiler, artifacts, options, background);
        this.warehouse = warehouse;
    }

    /** Builds the selected models and seeds in dependency order. */
    public RunResult run(Selection selection) {
        return lifecycle.execute(warehouse.get(), BuildPlan.run(project, graph, selection), selection);
    }

    /** Runs the selected snapshots in dependency order, each in one transaction. */
    public RunResult snapshot(Selection selection) {
        return lifecycle.execute(warehouse.get(), BuildPlan.snapshot(project, graph, selection), selection);
    }

    /** Runs the selected tests and those of the selected nodes. */
    public RunResult test(Selection selection) {
        return lifecycle.execute(warehouse.get(), BuildPlan.test(project, graph, selection), selection);
    }

    /** Builds the selected models and seeds and runs their tests, each node's tests right after it. */
    public RunResult build(Selection selection) {
        return lifecycle.execute(warehouse.get(), BuildPlan.build(project, graph, selection), selection);
    }
}
