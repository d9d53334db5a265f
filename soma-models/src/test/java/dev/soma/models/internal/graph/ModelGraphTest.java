package dev.soma.models.internal.graph;

import dev.soma.models.api.Relation;
import dev.soma.models.error.CycleException;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.NodeConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The graph against a plain reference implementation, on seeded random DAGs. */
class ModelGraphTest {

    private static Node node(String name) {
        return new ModelNode(name, name, name + ".sql", List.of(), NodeConfig.EMPTY, null, List.of(), null, Set.of(),
                Set.of(), new Relation("main", name), "");
    }

    /** Random DAG: an edge only from a lower to a higher index, so no cycles. */
    private static Map<String, Set<String>> randomDag(Random random, int size, double density) {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (int child = 0; child < size; child++) {
            Set<String> mine = new HashSet<>();
            for (int parent = 0; parent < child; parent++) {
                if (random.nextDouble() < density) {
                    mine.add("n" + parent);
                }
            }
            parents.put("n" + child, mine);
        }
        return parents;
    }

    private static Map<String, Node> nodes(Map<String, Set<String>> parents) {
        Map<String, Node> nodes = new HashMap<>();
        parents.keySet().forEach(name -> nodes.put(name, node(name)));
        return nodes;
    }

    /** Reference: nodes reachable within {@code depth} steps along {@code edges}, by plain recursion. */
    private static Set<String> reach(String from, Map<String, Set<String>> edges, int depth) {
        Set<String> found = new HashSet<>();
        if (depth == 0) {
            return found;
        }
        for (String next : edges.getOrDefault(from, Set.of())) {
            found.add(next);
            found.addAll(reach(next, edges, depth < 0 ? -1 : depth - 1));
        }
        return found;
    }

    /**
     * The order and the parent and child lists are exactly those of the jgrapht DAG and its topological
     * iterator (ties by id) that the graph was built on before: same listing, same build order.
     */
    @Test
    void ordersAndListsExactlyAsTheJgraphtDagDid() {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            Map<String, Set<String>> parents = randomDag(random, 5 + random.nextInt(60), random.nextDouble() * 0.3);
            // ids whose sort order is not the index order, so the tie-breaking and the edge order both matter
            Map<String, Set<String>> renamed = new LinkedHashMap<>();
            parents.forEach((child, ps) -> {
                Set<String> mine = new HashSet<>();
                ps.forEach(p -> mine.add(scrambled(p)));
                renamed.put(scrambled(child), mine);
            });
            ModelGraph graph = ModelGraph.build(nodes(renamed), renamed);

            org.jgrapht.graph.DirectedAcyclicGraph<String, org.jgrapht.graph.DefaultEdge> dag =
                    new org.jgrapht.graph.DirectedAcyclicGraph<>(org.jgrapht.graph.DefaultEdge.class);
            List<String> ids = new ArrayList<>(renamed.keySet());
            ids.sort(null);
            ids.forEach(dag::addVertex);
            for (String child : ids) {
                List<String> ps = new ArrayList<>(renamed.get(child));
                ps.sort(null);
                ps.forEach(parent -> dag.addEdge(parent, child));
            }
            List<String> expected = new ArrayList<>();
            new org.jgrapht.traverse.TopologicalOrderIterator<>(dag, java.util.Comparator.<String>naturalOrder())
                    .forEachRemaining(expected::add);
            assertThat(graph.order()).as("seed %d", seed).containsExactlyElementsOf(expected);
            for (String id : ids) {
                assertThat(graph.parents(id)).containsExactlyElementsOf(org.jgrapht.Graphs.predecessorListOf(dag, id));
                assertThat(graph.children(id)).containsExactlyElementsOf(org.jgrapht.Graphs.successorListOf(dag, id));
            }
        }
    }

    private static String scrambled(String id) {
        int n = Integer.parseInt(id.substring(1));
        return "n" + Integer.toString((n * 37) % 101, 7) + "_" + n;
    }

    @Test
    void agreesWithTheReferenceOnRandomGraphs() {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            Map<String, Set<String>> parents = randomDag(random, 5 + random.nextInt(40), random.nextDouble() * 0.3);
            Map<String, Set<String>> children = new HashMap<>();
            parents.forEach((child, ps) -> ps.forEach(p -> children.computeIfAbsent(p, k -> new HashSet<>()).add(child)));
            ModelGraph graph = ModelGraph.build(nodes(parents), parents);

            List<String> order = graph.order();
            assertThat(order).hasSize(parents.size());
            parents.forEach((child, ps) -> ps.forEach(parent ->
                    assertThat(order.indexOf(parent)).isLessThan(order.indexOf(child))));
            for (String id : parents.keySet()) {
                for (int depth : new int[]{-1, 1, 2}) {
                    assertThat(graph.ancestors(id, depth)).as("seed %d ancestors of %s depth %d", seed, id, depth)
                            .containsExactlyInAnyOrderElementsOf(reach(id, parents, depth));
                    assertThat(graph.descendants(id, depth)).as("seed %d descendants of %s depth %d", seed, id, depth)
                            .containsExactlyInAnyOrderElementsOf(reach(id, children, depth));
                }
            }
            assertThat(ModelGraph.build(nodes(parents), parents).order()).as("deterministic order").isEqualTo(order);
        }
    }

    @Test
    void aBackEdgeIsReportedAsARealCycle() {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            int size = 5 + random.nextInt(30);
            Map<String, Set<String>> parents = randomDag(random, size, 0.2);
            // Chain n0 -> n1 -> ... so a back edge always closes a cycle, then add n(size-1) -> n0.
            for (int i = 1; i < size; i++) {
                parents.get("n" + i).add("n" + (i - 1));
            }
            parents.get("n0").add("n" + (size - 1));
            Map<String, Set<String>> edges = parents;
            assertThatThrownBy(() -> ModelGraph.build(nodes(edges), edges))
                    .isInstanceOfSatisfying(CycleException.class, e -> {
                        List<String> cycle = e.cycle();
                        assertThat(cycle.get(0)).isEqualTo(cycle.get(cycle.size() - 1));
                        for (int i = 0; i + 1 < cycle.size(); i++) {
                            assertThat(edges.get(cycle.get(i + 1))).as("edge %s -> %s", cycle.get(i), cycle.get(i + 1))
                                    .contains(cycle.get(i));
                        }
                        assertThat(new HashSet<>(cycle.subList(0, cycle.size() - 1))).hasSize(cycle.size() - 1);
                    });
        }
    }

    @Test
    void inOrderSortsASubsetTopologically() {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        parents.put("c", Set.of("b"));
        parents.put("b", Set.of("a"));
        parents.put("a", Set.of());
        ModelGraph graph = ModelGraph.build(nodes(parents), parents);
        assertThat(graph.inOrder(new ArrayList<>(List.of("c", "a")))).containsExactly("a", "c");
    }
}
