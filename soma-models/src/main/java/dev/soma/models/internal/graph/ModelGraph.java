package dev.soma.models.internal.graph;

import dev.soma.models.error.CycleException;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.UnitTestNode;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of a project. Vertices are unique ids; an edge {@code a -> b} means b reads a.
 *
 * <p>Built once per load; immutable and thread-safe afterwards. The topological order breaks ties
 * by unique id, so it is the same on every run. Building is O((V + E) log V).
 */
public final class ModelGraph {

    private final Map<String, Node> nodes;
    /** For each id, the ids it reads, sorted; and the ids that read it, in the order their edges were added. */
    private final Map<String, List<String>> parents;
    private final Map<String, List<String>> children;
    private final List<String> order;
    private final Map<String, Integer> position;

    private ModelGraph(Map<String, Node> nodes, Map<String, List<String>> parents, Map<String, List<String>> children,
                       List<String> order) {
        this.nodes = nodes;
        this.parents = parents;
        this.children = children;
        this.order = List.copyOf(order);
        this.position = new HashMap<>(order.size() * 2);
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
    }

    /**
     * The graph of a loaded project: a model depends on what it refs and the sources it reads, a snapshot
     * on the relation it reads, a test on every node it reads, a unit test on what its model reads.
     *
     * @throws CycleException naming the cycle
     */
    public static ModelGraph of(Project project) {
        Map<String, Set<String>> parents = new HashMap<>();
        for (ModelNode model : project.models().values()) {
            Set<String> ids = new LinkedHashSet<>();
            for (String ref : model.refs()) {
                ids.add(project.refTarget(ref).uniqueId());
            }
            for (String source : model.sources()) {
                ids.add(project.sources().get(source).uniqueId());
            }
            parents.put(model.uniqueId(), ids);
        }
        // A source that names the table a seed loads reads what the seed builds: it comes after the seed.
        Map<String, String> seedByRelation = new HashMap<>();
        project.seeds().values().forEach(seed -> seedByRelation.put(seed.relation().toString().toLowerCase(java.util.Locale.ROOT),
                seed.uniqueId()));
        project.sources().values().forEach(source -> {
            String seed = seedByRelation.get(source.relation().toString().toLowerCase(java.util.Locale.ROOT));
            if (seed != null) {
                parents.put(source.uniqueId(), Set.of(seed));
            }
        });
        for (SnapshotNode snapshot : project.snapshots().values()) {
            parents.put(snapshot.uniqueId(), Set.of(snapshot.readsRef() != null
                    ? project.refTarget(snapshot.readsRef()).uniqueId()
                    : project.sources().get(snapshot.readsSource()).uniqueId()));
        }
        for (TestNode test : project.tests().values()) {
            parents.put(test.uniqueId(), test.dependsOn());
        }
        // A unit test reads no table, only fixtures standing for its model's inputs: it hangs below those
        // inputs, beside its model, so `build` can run it before the model (dbt's order).
        for (UnitTestNode test : project.unitTests().values()) {
            parents.put(test.uniqueId(), parents.getOrDefault(test.modelId(), Set.of()));
        }
        return build(project.nodes(), parents);
    }

    /**
     * Builds the graph.
     *
     * @param nodes   every node, by unique id
     * @param parents for each node, the unique ids it reads (each must be a key of {@code nodes})
     * @throws CycleException naming the cycle, in data-flow order, when the references go round
     */
    public static ModelGraph build(Map<String, Node> nodes, Map<String, ? extends Collection<String>> parents) {
        List<String> ids = new ArrayList<>(nodes.keySet());
        ids.sort(null);
        Map<String, Integer> index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        Map<String, List<String>> parentLists = new HashMap<>(ids.size() * 2);
        Map<String, List<String>> childLists = new HashMap<>(ids.size() * 2);
        int[] unread = new int[ids.size()];
        int[][] childRanks = new int[ids.size()][];
        int[] childCount = new int[ids.size()];
        for (int rank = 0; rank < ids.size(); rank++) {
            String child = ids.get(rank);
            Collection<String> declared = parents.get(child);
            List<String> sortedParents = declared == null ? new ArrayList<>() : new ArrayList<>(declared);
            sortedParents.sort(null);
            List<String> read = new ArrayList<>(sortedParents.size());
            for (String parent : sortedParents) {
                Integer parentRank = index.get(parent);
                if (parentRank == null || parent.equals(child)) {
                    return failure(nodes, parents);
                }
                if (!read.isEmpty() && read.get(read.size() - 1).equals(parent)) {
                    continue;
                }
                read.add(parent);
                childLists.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
                int[] ranks = childRanks[parentRank];
                if (ranks == null || ranks.length == childCount[parentRank]) {
                    childRanks[parentRank] = ranks = Arrays.copyOf(ranks == null ? new int[0] : ranks,
                            Math.max(4, childCount[parentRank] * 2));
                }
                ranks[childCount[parentRank]++] = rank;
            }
            parentLists.put(child, read);
            unread[rank] = read.size();
        }
        // Kahn's algorithm, the smallest ready id first: the order is the same on every run. Ids are taken by their
        // rank in sorted order, so the smallest ready id is the lowest ready rank: a bit set read from a cursor that
        // moves back only when a lower rank becomes ready (a priority queue of the ids compared them as text).
        BitSet ready = new BitSet(ids.size());
        for (int rank = 0; rank < ids.size(); rank++) {
            if (unread[rank] == 0) {
                ready.set(rank);
            }
        }
        List<String> order = new ArrayList<>(ids.size());
        for (int next = ready.nextSetBit(0); next >= 0; next = ready.nextSetBit(next)) {
            ready.clear(next);
            order.add(ids.get(next));
            int lowest = next;
            for (int i = 0; i < childCount[next]; i++) {
                int child = childRanks[next][i];
                if (--unread[child] == 0) {
                    ready.set(child);
                    lowest = Math.min(lowest, child);
                }
            }
            next = lowest;
        }
        if (order.size() != ids.size()) {
            return failure(nodes, parents);
        }
        for (String id : ids) {
            childLists.putIfAbsent(id, List.of());
        }
        return new ModelGraph(Map.copyOf(nodes), parentLists, childLists, order);
    }

    /**
     * What is wrong with a graph that has an unknown parent, a node reading itself or a cycle, found the way
     * it always was: edges added in order (children, then their parents, by id) to an incrementally checked
     * DAG, so the error names the first offending edge and, for a cycle, the loop it closes.
     */
    private static ModelGraph failure(Map<String, Node> nodes, Map<String, ? extends Collection<String>> parents) {
        DirectedAcyclicGraph<String, DefaultEdge> dag = new DirectedAcyclicGraph<>(DefaultEdge.class);
        List<String> ids = new ArrayList<>(nodes.keySet());
        ids.sort(null);
        ids.forEach(dag::addVertex);
        for (String child : ids) {
            Collection<String> declared = parents.get(child);
            List<String> sortedParents = declared == null ? new ArrayList<>() : new ArrayList<>(declared);
            sortedParents.sort(null);
            for (String parent : sortedParents) {
                if (!nodes.containsKey(parent)) {
                    throw new IllegalArgumentException("unknown parent " + parent + " of " + child);
                }
                if (parent.equals(child)) {
                    throw new CycleException(List.of(nodes.get(child).name(), nodes.get(child).name()));
                }
                try {
                    dag.addEdge(parent, child);
                } catch (IllegalArgumentException cycle) {
                    throw new CycleException(cyclePath(dag, nodes, parent, child));
                }
            }
        }
        throw new IllegalStateException("the dependency graph has a cycle that adding its edges one by one did not find");
    }

    /** Adding parent -> child closes a cycle, so child already reaches parent: report that loop. */
    private static List<String> cyclePath(DirectedAcyclicGraph<String, DefaultEdge> dag, Map<String, Node> nodes,
                                          String parent, String child) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(child);
        cameFrom.put(child, null);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (current.equals(parent)) {
                break;
            }
            List<String> next = new ArrayList<>(Graphs.successorListOf(dag, current));
            next.sort(null);
            for (String successor : next) {
                if (!cameFrom.containsKey(successor)) {
                    cameFrom.put(successor, current);
                    queue.add(successor);
                }
            }
        }
        List<String> path = new ArrayList<>();
        for (String at = parent; at != null; at = cameFrom.get(at)) {
            path.add(0, nodes.get(at).name());
        }
        path.add(0, nodes.get(parent).name());
        return path;
    }

    public Node node(String id) {
        return nodes.get(id);
    }

    public Map<String, Node> nodes() {
        return nodes;
    }

    public boolean contains(String id) {
        return nodes.containsKey(id);
    }

    /** Every unique id, in topological order. */
    public List<String> order() {
        return order;
    }

    /** {@code ids} sorted in topological order. */
    public List<String> inOrder(Collection<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingInt(position::get));
        return sorted;
    }

    /** The nodes {@code id} reads. */
    public Set<String> parents(String id) {
        return new LinkedHashSet<>(edges(parents, id));
    }

    /** The nodes that read {@code id}. */
    public Set<String> children(String id) {
        return new LinkedHashSet<>(edges(children, id));
    }

    private static List<String> edges(Map<String, List<String>> edges, String id) {
        List<String> ids = edges.get(id);
        if (ids == null) {
            throw new IllegalArgumentException("no such vertex in graph: " + id);
        }
        return ids;
    }

    /** Ancestors up to {@code depth} edges away ({@code -1}: all), not including {@code id}. */
    public Set<String> ancestors(String id, int depth) {
        return walk(id, depth, true);
    }

    /** Descendants up to {@code depth} edges away ({@code -1}: all), not including {@code id}. */
    public Set<String> descendants(String id, int depth) {
        return walk(id, depth, false);
    }

    private Set<String> walk(String start, int depth, boolean up) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        seen.put(start, 0);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int distance = seen.get(current);
            if (depth >= 0 && distance >= depth) {
                continue;
            }
            List<String> next = edges(up ? parents : children, current);
            for (String neighbour : next) {
                if (!seen.containsKey(neighbour)) {
                    seen.put(neighbour, distance + 1);
                    queue.add(neighbour);
                }
            }
        }
        seen.remove(start);
        return seen.keySet();
    }
}
