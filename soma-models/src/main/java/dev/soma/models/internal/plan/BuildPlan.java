package dev.soma.models.internal.plan;

import dev.soma.models.api.Command;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.Severity;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.TestKind;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.UnitTestNode;
import dev.soma.models.internal.selection.Selector;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run does: the nodes it executes and, for {@code build}, its test gates (which tests must pass
 * before a node may start). Immutable.
 *
 * @param command  the verb
 * @param nodes    unique ids to execute
 * @param gates    for a node, the tests that must pass before it starts (beyond its graph parents)
 * @param tests    the data tests among {@code nodes} (unit tests need no warehouse, so none of its checks)
 */
public record BuildPlan(Command command, Set<String> nodes, Map<String, Set<String>> gates, List<TestNode> tests) {

    public BuildPlan {
        nodes = Collections.unmodifiableSet(new LinkedHashSet<>(nodes));
        gates = Map.copyOf(gates);
        tests = List.copyOf(tests);
    }

    /** {@code run}: the selected models and seeds (ephemeral models are inlined, not built; snapshots wait for {@code snapshot}). */
    public static BuildPlan run(Project project, ModelGraph graph, Selection selection) {
        return run(project, graph, new Selector(graph), selection);
    }

    /** {@code run}, selecting with {@code selector} (one that knows {@code --state}). */
    public static BuildPlan run(Project project, ModelGraph graph, Selector selector, Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : selector.select(selection)) {
            if (isBuildable(graph.node(id)) && !(graph.node(id) instanceof SnapshotNode)) {
                planned.add(id);
            }
        }
        return new BuildPlan(Command.RUN, planned, Map.of(), List.of());
    }

    /** {@code snapshot}: the selected snapshots, in graph order. */
    public static BuildPlan snapshot(Project project, ModelGraph graph, Selection selection) {
        return snapshot(project, graph, new Selector(graph), selection);
    }

    /** {@code snapshot}, selecting with {@code selector} (one that knows {@code --state}). */
    public static BuildPlan snapshot(Project project, ModelGraph graph, Selector selector, Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : selector.select(selection)) {
            if (graph.node(id) instanceof SnapshotNode) {
                planned.add(id);
            }
        }
        return new BuildPlan(Command.SNAPSHOT, planned, Map.of(), List.of());
    }

    /** {@code test}: the selected tests and the tests of the selected models, seeds and sources. */
    public static BuildPlan test(Project project, ModelGraph graph, Selection selection) {
        return test(project, graph, new Selector(graph), selection);
    }

    /** {@code test}, selecting with {@code selector}. */
    public static BuildPlan test(Project project, ModelGraph graph, Selector selector, Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : withTests(project, selector, selection)) {
            if (graph.node(id) instanceof TestNode || graph.node(id) instanceof UnitTestNode) {
                planned.add(id);
            }
        }
        return new BuildPlan(Command.TEST, planned, Map.of(), testsOf(graph, planned));
    }

    /**
     * {@code build}: models, seeds, snapshots and their tests in graph order. A failing error-severity test gates
     * everything built from what it tests, so nothing is built on bad data; source freshness says how
     * old the data is, not that it is wrong, so it fails the run but gates nothing.
     */
    public static BuildPlan build(Project project, ModelGraph graph, Selection selection) {
        return build(project, graph, new Selector(graph), selection);
    }

    /** {@code build}, selecting with {@code selector}. */
    public static BuildPlan build(Project project, ModelGraph graph, Selector selector, Selection selection) {
        Set<String> planned = new LinkedHashSet<>();
        for (String id : withTests(project, selector, selection)) {
            Node node = graph.node(id);
            if (isBuildable(node) || node instanceof TestNode || node instanceof UnitTestNode) {
                planned.add(id);
            }
        }
        Map<String, Set<String>> gates = new HashMap<>();
        // A model waits for its unit tests: one failing skips the model and what is built from it.
        for (String id : planned) {
            if (graph.node(id) instanceof UnitTestNode unit && planned.contains(unit.modelId())) {
                gates.computeIfAbsent(unit.modelId(), k -> new LinkedHashSet<>()).add(id);
            }
        }
        for (String id : planned) {
            if (graph.node(id) instanceof TestNode test && test.severity() == Severity.ERROR
                    && test.kind() != TestKind.FRESHNESS) {
                Set<String> upstreamOfTest = graph.ancestors(id, -1);
                // A generic test gates what is built from the node it tests (not from the node a
                // relationships test looks up); a singular test gates what is built from all it reads.
                Set<String> testedNodes = test.attachedTo() != null ? Set.of(test.attachedTo()) : test.dependsOn();
                for (String tested : testedNodes) {
                    for (String child : graph.children(tested)) {
                        if (planned.contains(child) && !(graph.node(child) instanceof TestNode)
                                && !(graph.node(child) instanceof UnitTestNode)
                                && !upstreamOfTest.contains(child)) {
                            gates.computeIfAbsent(child, k -> new LinkedHashSet<>()).add(id);
                        }
                    }
                }
            }
        }
        return new BuildPlan(Command.BUILD, planned, gates, testsOf(graph, planned));
    }

    /** This plan limited to {@code ids} (its gates among them): what {@code soma retry} reruns of a build. */
    public BuildPlan only(java.util.Collection<String> ids) {
        Set<String> kept = new LinkedHashSet<>(nodes);
        kept.retainAll(Set.copyOf(ids));
        Map<String, Set<String>> keptGates = new HashMap<>();
        gates.forEach((node, tests) -> {
            if (kept.contains(node)) {
                Set<String> among = new LinkedHashSet<>(tests);
                among.retainAll(kept);
                keptGates.put(node, among);
            }
        });
        return new BuildPlan(command, kept, keptGates, tests.stream().filter(t -> kept.contains(t.uniqueId())).toList());
    }

    /** The unique ids of this plan's tests, unit tests too (started first when ready, so they gate what follows). */
    public Set<String> testIds() {
        Set<String> ids = new LinkedHashSet<>();
        tests.forEach(test -> ids.add(test.uniqueId()));
        nodes.stream().filter(id -> id.startsWith("unit_test.")).forEach(ids::add);
        return ids;
    }

    private static boolean isBuildable(Node node) {
        return (node instanceof ModelNode model && !model.isEphemeral()) || node instanceof SeedNode
                || node instanceof SnapshotNode;
    }

    /**
     * The selection plus the tests of every selected node, minus what is excluded. As in dbt, every
     * selector brings the tests attached to what it matches (a model's unit tests too), the ones after
     * {@code --exclude} too: a test on an excluded node is excluded.
     */
    public static Set<String> withTests(Project project, ModelGraph graph, Selection selection) {
        return withTests(project, new Selector(graph), selection);
    }

    /** {@link #withTests(Project, ModelGraph, Selection)}, selecting with {@code selector}. */
    public static Set<String> withTests(Project project, Selector selector, Selection selection) {
        Set<String> selected = selector.select(selection);
        Set<String> excluded = new LinkedHashSet<>(selector.excluded(selection));
        Map<String, String> attached = new LinkedHashMap<>();
        project.tests().values().forEach(test -> attached.put(test.uniqueId(), test.attachedTo()));
        project.unitTests().values().forEach(test -> attached.put(test.uniqueId(), test.modelId()));
        attached.forEach((test, node) -> {
            if (excluded.contains(node)) {
                excluded.add(test);
            }
        });
        Set<String> all = new LinkedHashSet<>(selected);
        all.removeAll(excluded);
        attached.forEach((test, node) -> {
            if (selected.contains(node) && !excluded.contains(test)) {
                all.add(test);
            }
        });
        return all;
    }

    private static List<TestNode> testsOf(ModelGraph graph, Set<String> planned) {
        return planned.stream().map(graph::node).filter(TestNode.class::isInstance).map(TestNode.class::cast).toList();
    }
}
