package dev.soma.models.internal.materialize;

import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this run's builds did, for its tests: the increment of each model built incrementally (when
 * it could be captured exactly), and which nodes were rebuilt in full. Thread-safe: workers record,
 * other workers read.
 */
public final class RunIncrements {

    private final Set<String> wanted;
    private final Map<String, Increment> increments = new ConcurrentHashMap<>();
    private final Set<String> rebuilt = ConcurrentHashMap.newKeySet();

    /** @param wanted unique ids of the models whose increment a planned test may read */
    public RunIncrements(Collection<String> wanted) {
        this.wanted = Set.copyOf(wanted);
    }

    /** Whether to keep the increment of {@code modelId}: a test of this run may read it. */
    public boolean wanted(String modelId) {
        return wanted.contains(modelId);
    }

    public void recordIncrement(String modelId, Increment increment) {
        increments.put(modelId, increment);
    }

    /** {@code nodeId} was built in this run other than by appending (rows may have changed or gone). */
    public void recordRebuilt(String nodeId) {
        rebuilt.add(nodeId);
    }

    /** The increment {@code modelId} got in this run, or {@code null}. */
    public Increment increment(String modelId) {
        return increments.get(modelId);
    }

    /** Whether {@code nodeId} was built in this run in a way that may have changed or removed rows. */
    public boolean rebuilt(String nodeId) {
        return rebuilt.contains(nodeId);
    }

    /** Drops every increment table; the run is over. A failure to drop one is kept and the rest still go. */
    public void dropAll(Session session) {
        SomaException failure = null;
        for (Increment increment : increments.values()) {
            try {
                session.execute(SqlOwner.soma("increments"),
                        session.engine().dropTable(increment.table().quoted(session.engine().dialect())));
            } catch (SomaException e) {
                failure = failure == null ? e : failure;
            }
        }
        increments.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
