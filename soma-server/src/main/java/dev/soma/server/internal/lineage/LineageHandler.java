package dev.soma.server.internal.lineage;

import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.ResourceType;
import dev.soma.server.internal.handler.ServerContext;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.Request;
import dev.soma.server.internal.http.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /lineage/layout.json}: the lineage graph laid out by {@link LineageLayout}. Computed on the first
 * request and kept: the project does not change while the server runs. Thread-safe.
 */
public final class LineageHandler implements Handler {

    private final ServerContext context;
    private volatile LineageLayout.Layout layout;

    public LineageHandler(ServerContext context) {
        this.context = context;
    }

    @Override
    public Response handle(Request request) {
        LineageLayout.Layout computed = layout;
        if (computed == null) {
            synchronized (this) {
                if (layout == null) {
                    layout = LineageLayout.layout(items(context.nodes()));
                }
                computed = layout;
            }
        }
        return Response.ok(computed);
    }

    static List<LineageLayout.Item> items(List<NodeInfo> nodes) {
        List<LineageLayout.Item> items = new ArrayList<>();
        for (NodeInfo node : nodes) {
            String group = node.resourceType() == ResourceType.SOURCE ? "sources"
                    : node.relation() != null && node.relation().schema() != null ? node.relation().schema()
                    : node.resourceType().label();
            items.add(new LineageLayout.Item(node.uniqueId(), node.name(), group,
                    node.dependsOn() == null ? List.of() : node.dependsOn()));
        }
        return items;
    }
}
