package dev.soma.models.internal.listing;

import dev.soma.core.text.Suggestions;
import dev.soma.models.api.NodeDocs;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.plan.BuildPlan;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.UnitTestNode;
import dev.soma.models.internal.selection.Selector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code soma ls} and {@code soma docs}: what a selection lists, one node by name, and a node's
 * documentation, from the loaded project alone. Immutable, thread-safe.
 */
public final class NodeListing {

    private final Project project;
    private final ModelGraph graph;
    private final NodeCatalog catalog;

    private final Selector selector;

    public NodeListing(Project project, ModelGraph graph, NodeCatalog catalog) {
        this(project, graph, catalog, new Selector(graph));
    }

    /** @param selector selects (knowing {@code --state}, when given) */
    public NodeListing(Project project, ModelGraph graph, NodeCatalog catalog, Selector selector) {
        this.project = project;
        this.graph = graph;
        this.catalog = catalog;
        this.selector = selector;
    }

    /**
     * The selected nodes and, as {@code dbt ls} does, the tests of the selected models, seeds and
     * sources, in dependency order (sources included): each test right after the last node it reads.
     */
    public List<NodeInfo> list(Selection selection) {
        Set<String> selected = BuildPlan.withTests(project, selector, selection);
        List<String> ordered = graph.inOrder(selected);
        List<String> nodes = new ArrayList<>();
        Map<String, List<String>> testsAfter = new HashMap<>();
        List<String> unanchored = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            position.put(ordered.get(i), i);
        }
        for (String id : ordered) {
            if (graph.node(id) instanceof UnitTestNode unit) {
                // listed after its model, as dbt lists a model's unit tests
                if (position.containsKey(unit.modelId())) {
                    testsAfter.computeIfAbsent(unit.modelId(), k -> new ArrayList<>()).add(id);
                } else {
                    unanchored.add(id);
                }
            } else if (graph.node(id) instanceof TestNode test) {
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

    /** Selector terms of {@code selection} that match no node, for a warning. */
    public List<String> unmatched(Selection selection) {
        return selector.unmatched(selection);
    }

    /**
     * The node called {@code name} (a model, seed, source {@code raw.books}, or test).
     *
     * @throws ProjectException if there is none (the message suggests the closest name)
     */
    public NodeInfo node(String name) {
        return catalog.named(name).orElseThrow(() -> new ProjectException(null, "no model, seed or source called '" + name
                + "'" + Suggestions.didYouMean(name, catalog.names()) + "; 'soma ls' lists them"));
    }

    /**
     * The documentation of the node called {@code name}: description, declared columns, tests, parents
     * and children.
     *
     * @throws ProjectException if no model, seed or source has that name
     */
    public NodeDocs docs(String name) {
        NodeInfo info = node(name);
        Node node = graph.node(info.uniqueId());
        List<SchemaFile.ColumnEntry> declared = node instanceof ModelNode model ? model.columns()
                : node instanceof SeedNode seed ? seed.columns()
                : node instanceof SourceNode source ? source.columns()
                : node instanceof SnapshotNode snapshot ? snapshot.columns()
                : List.of();
        List<NodeDocs.Column> columns = declared.stream()
                .map(column -> new NodeDocs.Column(column.name(), column.description(), column.dataType())).toList();
        List<NodeDocs.Test> tests = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (String child : new TreeSet<>(graph.children(info.uniqueId()))) {
            if (graph.node(child) instanceof TestNode test) {
                if (info.uniqueId().equals(test.attachedTo()) || test.attachedTo() == null) {
                    tests.add(new NodeDocs.Test(test.uniqueId(), test.name(), test.column(), test.testName(),
                            test.severity().label()));
                }
            } else {
                children.add(child);
            }
        }
        List<String> parents = info.dependsOn().stream().filter(parent -> !(graph.node(parent) instanceof TestNode)).toList();
        return new NodeDocs(info, columns, tests, parents, children);
    }
}
