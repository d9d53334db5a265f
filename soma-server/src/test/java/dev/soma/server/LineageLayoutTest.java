package dev.soma.server;

import dev.soma.server.internal.lineage.LineageLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lineage layout on seeded random DAGs (and one with labels far too long): no edge passes through a node it does
 * not connect, edges are orthogonal and end on their nodes, labels fit between the colour bar and the status dot,
 * boxes do not overlap, and parents lie left of their children.
 */
class LineageLayoutTest {

    @Test
    void randomGraphsHaveRoutedEdgesFittingLabelsAndNoOverlaps() {
        for (long seed = 1; seed <= 6; seed++) {
            check(randomGraph(new Random(seed), 20 + (int) seed * 8));
        }
    }

    @Test
    void longLabelsAreCutAndStillFit() {
        List<LineageLayout.Item> items = List.of(
                new LineageLayout.Item("a", "raw." + "a_very_long_source_table_name_".repeat(4), "sources", List.of()),
                new LineageLayout.Item("b", "stg_" + "x".repeat(90), "staging", List.of("a")),
                new LineageLayout.Item("c", "dim", "analytics", List.of("b", "a")));
        LineageLayout.Layout layout = check(items);
        LineageLayout.PlacedNode b = layout.nodes().stream().filter(n -> n.id().equals("b")).findFirst().orElseThrow();
        assertThat(b.label()).hasSize(LineageLayout.MAX_LABEL).endsWith("\u2026");
        assertThat(b.name()).hasSize(94);
    }

    private static LineageLayout.Layout check(List<LineageLayout.Item> items) {
        LineageLayout.Layout layout = LineageLayout.layout(items);
        assertThat(layout.nodes()).hasSize(items.size());
        Map<String, LineageGeometry.Box> boxes = new HashMap<>();
        Map<String, LineageLayout.PlacedNode> byName = new HashMap<>();
        for (LineageLayout.PlacedNode node : layout.nodes()) {
            boxes.put(node.name(), new LineageGeometry.Box(node.name(), node.x(), node.y(), node.width(), node.height()));
            byName.put(node.name(), node);
            double labelEnd = LineageLayout.LABEL_LEFT + node.labelWidth();
            double dotLeft = node.width() - LineageLayout.DOT_RIGHT - LineageLayout.DOT_RADIUS;
            assertThat(labelEnd).as(node.name() + ": label ends before the status dot").isLessThan(dotLeft);
            assertThat(node.x()).isGreaterThanOrEqualTo(0);
            assertThat(node.y()).isGreaterThanOrEqualTo(LineageLayout.TOP);
            assertThat(node.x() + node.width()).isLessThanOrEqualTo(layout.width());
            assertThat(node.y() + node.height()).isLessThanOrEqualTo(layout.height());
        }
        List<LineageGeometry.Box> all = new ArrayList<>(boxes.values());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                LineageGeometry.Box a = all.get(i), c = all.get(j);
                boolean overlap = a.x() < c.right() && c.x() < a.right() && a.y() < c.y() + c.height() && c.y() < a.y() + a.height();
                assertThat(overlap).as(a.name() + " overlaps " + c.name()).isFalse();
            }
        }
        int edges = 0;
        for (LineageLayout.Item item : items) {
            edges += (int) item.parents().stream().distinct().count();
        }
        assertThat(layout.edges()).hasSize(edges);
        for (LineageLayout.RoutedEdge edge : layout.edges()) {
            LineageGeometry.Box from = boxes.get(edge.from()), to = boxes.get(edge.to());
            assertThat(from.x()).as(edge.from() + " left of " + edge.to()).isLessThan(to.x());
            List<LineageLayout.Point> points = edge.points();
            assertThat(points.size()).isGreaterThanOrEqualTo(2);
            assertThat(points.get(0).x()).as("starts on the parent's right side").isCloseTo(from.right(), org.assertj.core.data.Offset.offset(0.6));
            assertThat(points.get(points.size() - 1).x()).as("ends on the child's left side").isCloseTo(to.x(), org.assertj.core.data.Offset.offset(0.6));
            for (int i = 1; i < points.size(); i++) {
                LineageLayout.Point p = points.get(i - 1), q = points.get(i);
                assertThat(p.x() == q.x() || p.y() == q.y()).as("orthogonal " + edge).isTrue();
                LineageGeometry.Segment segment = new LineageGeometry.Segment(p.x(), p.y(), q.x(), q.y());
                for (LineageGeometry.Box box : all) {
                    if (box != from && box != to) {
                        assertThat(LineageGeometry.crosses(segment, box)).as(edge.from() + " -> " + edge.to()
                                + " crosses " + box.name()).isFalse();
                    }
                }
            }
        }
        return layout;
    }

    /** A DAG in dependency order, with long edges that skip layers and names of every length. */
    private static List<LineageLayout.Item> randomGraph(Random random, int size) {
        List<LineageLayout.Item> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> parents = new ArrayList<>();
            if (i >= 4) {
                int count = random.nextInt(4);
                for (int k = 0; k < count; k++) {
                    String parent = "n" + random.nextInt(i);
                    if (!parents.contains(parent)) {
                        parents.add(parent);
                    }
                }
            }
            String name = "m" + i + "_" + "abcdefghij".repeat(6).substring(0, random.nextInt(50));
            items.add(new LineageLayout.Item("n" + i, name, i < 4 ? "sources" : "s" + (i % 3), parents));
        }
        return items;
    }
}
