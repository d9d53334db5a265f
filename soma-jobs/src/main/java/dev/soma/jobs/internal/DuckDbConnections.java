package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SessionPool;
import dev.soma.core.warehouse.Warehouse;

import java.util.Map;
import java.util.WeakHashMap;

/** Sessions of one warehouse from a {@link SessionPool} (at most 64 idle), and the queue's write lock on it. */
public final class DuckDbConnections implements Connections {

    /** One write lock per warehouse, shared by every store on it in this JVM. */
    private static final Map<Warehouse, Object> WRITE_LOCKS = new WeakHashMap<>();

    private final SessionPool pool;
    private final boolean ownsWarehouse;

    public DuckDbConnections(Warehouse warehouse, boolean ownsWarehouse) {
        this.pool = new SessionPool(warehouse, 64);
        this.ownsWarehouse = ownsWarehouse;
    }

    /**
     * The lock the store's write transactions take: DuckDB resolves concurrent writes to the same rows by
     * aborting one ("Conflict on tuple deletion"), and two claimers always want the same due rows, so the
     * queue's own writes on one database go one at a time (DuckDB commits one at a time anyway).
     */
    public Object writeLock() {
        synchronized (WRITE_LOCKS) {
            return WRITE_LOCKS.computeIfAbsent(pool.warehouse(), w -> new Object());
        }
    }

    public Warehouse warehouse() {
        return pool.warehouse();
    }

    @Override
    public Lent acquire() {
        Session session = pool.acquire();
        return new Lent(session.jdbc(), session);
    }

    @Override
    public void release(Lent lent, boolean broken) {
        pool.release(lent.session(), !broken);
    }

    @Override
    public void close() {
        pool.close();
        if (ownsWarehouse) {
            pool.warehouse().close();
        }
    }
}
