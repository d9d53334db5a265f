package dev.soma.models.internal.run;

import dev.soma.core.engine.Column;
import dev.soma.core.text.Checksums;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.materialize.ViewLedger;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.UnitTestNode;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a view model may keep the view already in the warehouse instead of creating it again.
 *
 * <p>The engine binds a view when it is created: its columns are fixed then from what it reads. So a view
 * is kept only when it would come out the same: its fingerprint, a hash of its statement (the compiled SQL
 * and relation) and of what each relation it reads looks like now, equals the fingerprint recorded in
 * {@link ViewLedger} when the view in the warehouse was created, and that view is still there. What a
 * relation it reads looks like: for a view this run builds or keeps, its own fingerprint (so a changed
 * parent view changes its children's); for anything else (a source, a table, a seed, a view outside the
 * run) its column names and types as the catalog has them when the child is built, after its own build
 * in this run. Reads are found through the graph ({@code ref}, {@code source}, through ephemeral models);
 * a relation named in the SQL by hand is not followed. {@code --full-refresh} keeps nothing.
 *
 * <p>Thread-safe: workers call it on their own sessions; what a batch records is kept per session until
 * the batch commits ({@link #flush}) or is rolled back ({@link #discard}).
 */
final class ViewFreshness {

    private static final String FORMAT = "soma-view-fingerprint-1";

    private final ModelGraph graph;
    private final boolean keep;
    private final boolean record;
    private final Map<String, String> recorded;
    /** Fingerprints of the views of this run, built or kept, by unique id. */
    private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
    /** Column fingerprints of the other relations read, by ledger key, read once per run. */
    private final Map<String, String> columns = new ConcurrentHashMap<>();
    private final Map<Session, Map<String, String>> pending = new IdentityHashMap<>();

    /**
     * @param keep     whether a view may be kept (not with {@code --full-refresh})
     * @param record   whether built views are recorded (not when the run builds shadows or reads deferred
     *                 relations: those views are not what a later plain run would build)
     * @param recorded the ledger as the run found it
     */
    ViewFreshness(ModelGraph graph, boolean keep, boolean record, Map<String, String> recorded) {
        this.graph = graph;
        this.keep = keep && record;
        this.record = record;
        this.recorded = Map.copyOf(recorded);
    }

    /** Keeps nothing and records nothing (an engine without transactions, or no view in the run). */
    static ViewFreshness off(ModelGraph graph) {
        return new ViewFreshness(graph, false, false, Map.of());
    }

    /** The fingerprint of {@code compiled} as it would be built now, on {@code session}. */
    String fingerprint(CompiledModel compiled, Session session) {
        ModelNode model = compiled.model();
        StringBuilder text = new StringBuilder(FORMAT).append('\n').append(session.engine().name()).append('\n')
                .append(ViewLedger.key(model.relation())).append('\n').append(compiled.sql()).append('\n');
        for (Map.Entry<String, String> input : inputs(model.uniqueId(), session).entrySet()) {
            text.append(input.getKey()).append(' ').append(input.getValue()).append('\n');
        }
        return Checksums.sha256(text.toString());
    }

    /**
     * Whether the view of {@code compiled} (now {@code existing} in the warehouse) may be kept: nothing to
     * run before or after it, and the recorded fingerprint is {@code fingerprint}.
     */
    boolean unchanged(CompiledModel compiled, RelationType existing, String fingerprint) {
        return keep && existing == RelationType.VIEW && compiled.preHooks().isEmpty() && compiled.postHooks().isEmpty()
                && fingerprint.equals(recorded.get(ViewLedger.key(compiled.model().relation())));
    }

    /** The view was kept. */
    void kept(ModelNode model, String fingerprint) {
        fingerprints.put(model.uniqueId(), fingerprint);
    }

    /** The view was created on {@code session}, inside its batch's transaction. */
    void built(Session session, ModelNode model, String fingerprint) {
        fingerprints.put(model.uniqueId(), fingerprint);
        synchronized (pending) {
            pending.computeIfAbsent(session, s -> new HashMap<>()).put(ViewLedger.key(model.relation()),
                    record ? fingerprint : null);
        }
    }

    /** Writes what the batch on {@code session} built, in its transaction (rows of unrecorded views are deleted). */
    void flush(Session session) {
        Map<String, String> rows;
        synchronized (pending) {
            rows = pending.remove(session);
        }
        if (rows == null) {
            return;
        }
        Map<String, String> written = new HashMap<>();
        Set<String> forgotten = new HashSet<>();
        rows.forEach((key, fingerprint) -> {
            if (fingerprint == null) {
                forgotten.add(key);
            } else {
                written.put(key, fingerprint);
            }
        });
        ViewLedger.record(session, written);
        ViewLedger.forget(session, forgotten);
    }

    /** The batch on {@code session} was rolled back: nothing of it is recorded. */
    void discard(Session session) {
        synchronized (pending) {
            pending.remove(session);
        }
    }

    /** Each relation the model reads (by ledger key, sorted) with what it looks like now. */
    private Map<String, String> inputs(String id, Session session) {
        Map<String, String> inputs = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>(graph.parents(id));
        while (!queue.isEmpty()) {
            String parentId = queue.poll();
            if (!seen.add(parentId) || !graph.contains(parentId)) {
                continue;
            }
            Node parent = graph.node(parentId);
            if (parent instanceof TestNode || parent instanceof UnitTestNode) {
                continue;
            }
            if (parent instanceof ModelNode model && model.isEphemeral()) {
                queue.addAll(graph.parents(parentId));
                continue;
            }
            Relation relation = parent.relation();
            if (relation == null) {
                continue;
            }
            String key = ViewLedger.key(relation);
            String own = fingerprints.get(parentId);
            inputs.put(key, own != null ? "view " + own : columns.computeIfAbsent(key, k -> columnsOf(session, relation)));
        }
        return inputs;
    }

    private static String columnsOf(Session session, Relation relation) {
        StringBuilder text = new StringBuilder("columns");
        for (Column column : session.engine().columns(session, relation.schema(), relation.identifier())) {
            text.append(' ').append(column.name()).append(':').append(column.type());
        }
        return Checksums.sha256(text.toString());
    }
}
