package dev.soma.server.internal.lineage;

import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.GreedySwitchType;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays the lineage graph out in layers, left to right, with ELK layered: nodes sized to their labels, layers
 * ordered to reduce crossings, and edges routed orthogonally between the nodes (never through one). The page
 * only draws what this computes.
 *
 * <p>Geometry of a node box (the page draws exactly this): the colour bar at its left, the label from
 * {@link #LABEL_LEFT} in a monospace font of {@link #CHAR_WIDTH} per character, then the status dot, whose
 * centre is {@link #DOT_RIGHT} from the right edge. Labels longer than {@link #MAX_LABEL} characters are cut
 * with an ellipsis. Stateless and thread-safe.
 */
public final class LineageLayout {

    /** Width of one label character (12 px monospace, 0.6 em). */
    public static final double CHAR_WIDTH = 7.2;
    public static final double LABEL_LEFT = 13;
    /** Centre of the status dot, from the box's right edge; the dot's radius is 4. */
    public static final double DOT_RIGHT = 11;
    public static final double DOT_RADIUS = 4;
    public static final double NODE_HEIGHT = 24;
    public static final int MAX_LABEL = 40;
    /** Above this many nodes the layout trades some crossings for time. */
    static final int LARGE = 1500;
    /** Room above the graph for the layer titles. */
    public static final double TOP = 56;

    private LineageLayout() {
    }

    /** One node to place: its id, name, the group that names its layer (schema or "sources"), its parents' ids. */
    public record Item(String id, String name, String group, List<String> parents) {
    }

    public record Point(double x, double y) {
    }

    /** A placed node; {@code label} is what fits ({@code name} cut with an ellipsis when too long). */
    public record PlacedNode(String id, String name, String label, double x, double y, double width, double height,
                             double labelWidth) {
    }

    /** An edge from parent to child as an orthogonal polyline, first point on the parent's box, last on the child's. */
    public record RoutedEdge(String from, String to, List<Point> points) {
    }

    /** A column of nodes: its span, its most common group and how many nodes it holds. */
    public record Layer(String title, double x, double width, int count) {
    }

    public record Layout(double width, double height, List<Layer> layers, List<PlacedNode> nodes,
                         List<RoutedEdge> edges) {
    }

    /** The label shown for {@code name}: all of it, or its first {@value #MAX_LABEL} characters with an ellipsis. */
    public static String label(String name) {
        return name.length() <= MAX_LABEL ? name : name.substring(0, MAX_LABEL - 1) + "\u2026";
    }

    /** The box width that holds {@code label}, its gap and the status dot. */
    static double width(String label) {
        return Math.max(110, Math.ceil(LABEL_LEFT + label.length() * CHAR_WIDTH + 8 + DOT_RIGHT + DOT_RADIUS));
    }

    /**
     * Lays {@code items} out. ELK walks the graph recursively, so a deep graph of thousands of models needs more
     * stack than a request thread has: the layout runs on a thread of its own with a large stack.
     */
    public static Layout layout(List<Item> items) {
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                result.set(compute(items));
            } catch (RuntimeException | Error e) {
                result.set(e);
            }
        }, "soma-lineage-layout", 512L << 20);
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while laying out the lineage graph", e);
        }
        Object outcome = result.get();
        if (outcome instanceof RuntimeException e) {
            throw e;
        }
        if (outcome instanceof Error e) {
            throw e;
        }
        return (Layout) outcome;
    }

    private static Layout compute(List<Item> items) {
        register();
        ElkNode graph = ElkGraphUtil.createGraph();
        graph.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        graph.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        graph.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        graph.setProperty(CoreOptions.SPACING_NODE_NODE, 10.0);
        graph.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 60.0);
        graph.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
        graph.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, 8.0);
        graph.setProperty(LayeredOptions.SPACING_EDGE_NODE, 8.0);
        graph.setProperty(CoreOptions.PADDING, new ElkPadding(TOP, 30, 30, 30));
        if (items.size() > LARGE) {
            // Fewer crossing-minimisation sweeps: a few seconds instead of a minute for thousands of models.
            graph.setProperty(LayeredOptions.THOROUGHNESS, 1);
            graph.setProperty(LayeredOptions.CROSSING_MINIMIZATION_GREEDY_SWITCH_TYPE, GreedySwitchType.OFF);
        }
        Map<String, ElkNode> byId = new LinkedHashMap<>();
        Map<ElkNode, Item> itemOf = new HashMap<>();
        for (Item item : items) {
            ElkNode node = ElkGraphUtil.createNode(graph);
            node.setIdentifier(item.id());
            node.setDimensions(width(label(item.name())), NODE_HEIGHT);
            byId.put(item.id(), node);
            itemOf.put(node, item);
        }
        List<ElkEdge> edges = new ArrayList<>();
        for (Item item : items) {
            for (String parent : item.parents()) {
                ElkNode from = byId.get(parent);
                if (from != null && !parent.equals(item.id())) {
                    edges.add(ElkGraphUtil.createSimpleEdge(from, byId.get(item.id())));
                }
            }
        }
        new RecursiveGraphLayoutEngine().layout(graph, new BasicProgressMonitor());

        List<PlacedNode> nodes = new ArrayList<>();
        for (ElkNode node : byId.values()) {
            Item item = itemOf.get(node);
            String label = label(item.name());
            nodes.add(new PlacedNode(item.id(), item.name(), label, node.getX(), node.getY(), node.getWidth(),
                    node.getHeight(), label.length() * CHAR_WIDTH));
        }
        List<RoutedEdge> routed = new ArrayList<>();
        for (ElkEdge edge : edges) {
            List<Point> points = new ArrayList<>();
            for (ElkEdgeSection section : edge.getSections()) {
                add(points, section.getStartX(), section.getStartY());
                for (ElkBendPoint bend : section.getBendPoints()) {
                    add(points, bend.getX(), bend.getY());
                }
                add(points, section.getEndX(), section.getEndY());
            }
            ElkNode from = ElkGraphUtil.connectableShapeToNode(edge.getSources().get(0));
            ElkNode to = ElkGraphUtil.connectableShapeToNode(edge.getTargets().get(0));
            routed.add(new RoutedEdge(itemOf.get(from).name(), itemOf.get(to).name(), List.copyOf(points)));
        }
        return new Layout(graph.getWidth(), graph.getHeight(), layers(nodes, items), List.copyOf(nodes),
                List.copyOf(routed));
    }

    private static void add(List<Point> points, double x, double y) {
        Point point = new Point(Math.round(x * 10) / 10.0, Math.round(y * 10) / 10.0);
        if (points.isEmpty() || !points.get(points.size() - 1).equals(point)) {
            points.add(point);
        }
    }

    /** Columns: nodes whose horizontal spans overlap share one; titled by their most common group. */
    private static List<Layer> layers(List<PlacedNode> nodes, List<Item> items) {
        Map<String, String> groupOf = new HashMap<>();
        items.forEach(item -> groupOf.put(item.id(), item.group()));
        List<PlacedNode> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingDouble(PlacedNode::x));
        List<Layer> layers = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            double left = sorted.get(i).x();
            double right = left + sorted.get(i).width();
            Map<String, Integer> counts = new HashMap<>();
            int count = 0;
            while (i < sorted.size() && sorted.get(i).x() < right) {
                PlacedNode node = sorted.get(i);
                right = Math.max(right, node.x() + node.width());
                counts.merge(groupOf.getOrDefault(node.id(), ""), 1, Integer::sum);
                count++;
                i++;
            }
            // The most common group; on a tie the first by name.
            String title = "";
            int best = 0;
            for (Map.Entry<String, Integer> entry : new java.util.TreeMap<>(counts).entrySet()) {
                if (entry.getValue() > best) {
                    best = entry.getValue();
                    title = entry.getKey();
                }
            }
            layers.add(new Layer(title, left, right - left, count));
        }
        return List.copyOf(layers);
    }

    private static synchronized void register() {
        LayoutMetaDataService service = LayoutMetaDataService.getInstance();
        if (service.getAlgorithmData(LayeredOptions.ALGORITHM_ID) == null) {
            service.registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        }
    }
}
