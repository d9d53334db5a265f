package dev.soma.models.internal.graph;

import dev.soma.models.api.NodeInfo;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.TestNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The public description ({@link NodeInfo}) of every node of a graph, made once. Immutable, thread-safe.
 */
public final class NodeCatalog {

    private final Map<String, NodeInfo> byId = new HashMap<>();

    public NodeCatalog(ModelGraph graph) {
        for (String id : graph.order()) {
            byId.put(id, describe(graph.node(id), graph));
        }
    }

    /** The description of the node {@code uniqueId}. */
    public NodeInfo info(String uniqueId) {
        return byId.get(uniqueId);
    }

    public NodeInfo info(Node node) {
        return byId.get(node.uniqueId());
    }

    /** The node whose name is {@code name}, if any. */
    public Optional<NodeInfo> named(String name) {
        return byId.values().stream().filter(info -> info.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return byId.values().stream().map(NodeInfo::name).toList();
    }

    private static NodeInfo describe(Node node, ModelGraph graph) {
        String materialized = node instanceof ModelNode model ? model.materialized().label()
                : node instanceof TestNode test ? test.testName() : node.resourceType().label();
        return new NodeInfo(node.uniqueId(), node.name(), node.resourceType(), node.path(), node.relation(),
                materialized, node.tags(), List.copyOf(new TreeSet<>(graph.parents(node.uniqueId()))), node.description());
    }
}
