package dev.soma.models.internal.window;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The ids of the runs building windows in this JVM right now. A window lock names its run; on a store
 * that one process at a time can write (a DuckDB file: the process holds it exclusively; an in-memory
 * DuckDB: no other process can reach it), a lock whose run is not live here belongs to a dead process
 * (a killed run) and may be released at once, without waiting for {@code stale_lock_after}.
 *
 * <p>JVM-wide on purpose: liveness is a fact about this process, and two {@code Soma} instances on one
 * warehouse (threads of an embedding app) must see each other's runs. Run ids are random UUIDs, so one
 * registry serves every database. Thread-safe: {@link #enter} and {@link #releasingDead} take one
 * monitor, so a run that enters after another's snapshot of the live runs takes its locks only after
 * that run's release is done, and is never released by it.
 */
public final class LiveRuns {

    private static final Map<String, Integer> LIVE = new HashMap<>();

    private LiveRuns() {
    }

    /** Marks {@code runId} live until the returned handle is closed (re-entrant: counted). */
    public static Entry enter(String runId) {
        synchronized (LIVE) {
            LIVE.merge(runId, 1, Integer::sum);
        }
        return new Entry(runId);
    }

    /** Whether {@code runId} is live in this JVM. */
    public static boolean isLive(String runId) {
        synchronized (LIVE) {
            return LIVE.containsKey(runId);
        }
    }

    /**
     * Runs {@code release} with the ids live now, no run entering meanwhile: locks of any other run may
     * be released by it.
     */
    static <T> T releasingDead(Function<Set<String>, T> release) {
        synchronized (LIVE) {
            return release.apply(Set.copyOf(LIVE.keySet()));
        }
    }

    /** A run's presence in the registry; closing it ends it. */
    public static final class Entry implements AutoCloseable {
        private final String runId;
        private boolean closed;

        private Entry(String runId) {
            this.runId = runId;
        }

        @Override
        public void close() {
            synchronized (LIVE) {
                if (!closed) {
                    closed = true;
                    LIVE.computeIfPresent(runId, (id, n) -> n == 1 ? null : n - 1);
                }
            }
        }
    }
}
