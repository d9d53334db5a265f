package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;

import java.util.ArrayDeque;
import java.util.Deque;

/** Sessions of one warehouse ({@code duplicate()} connections), kept for reuse. */
public final class DuckDbConnections implements Connections {

    /** One write lock per warehouse, shared by every store on it in this JVM. */
    private static final java.util.Map<Warehouse, Object> WRITE_LOCKS = new java.util.WeakHashMap<>();

    private final Warehouse warehouse;
    private final boolean ownsWarehouse;
    private final Deque<Session> idle = new ArrayDeque<>();
    private boolean closed;

    public DuckDbConnections(Warehouse warehouse, boolean ownsWarehouse) {
        this.warehouse = warehouse;
        this.ownsWarehouse = ownsWarehouse;
    }

    /**
     * The lock the store's write transactions take: DuckDB resolves concurrent writes to the same rows by
     * aborting one ("Conflict on tuple deletion"), and two claimers always want the same due rows, so the
     * queue's own writes on one database go one at a time (DuckDB commits one at a time anyway).
     */
    public Object writeLock() {
        synchronized (WRITE_LOCKS) {
            return WRITE_LOCKS.computeIfAbsent(warehouse, w -> new Object());
        }
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    @Override
    public Lent acquire() {
        Session session;
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("the job store on " + warehouse.describe() + " is closed");
            }
            session = idle.poll();
        }
        if (session == null) {
            session = warehouse.openSession();
        }
        return new Lent(session.jdbc(), session);
    }

    @Override
    public void release(Lent lent, boolean broken) {
        synchronized (idle) {
            if (!closed && !broken && idle.size() < 64) {
                idle.push(lent.session());
                return;
            }
        }
        try {
            lent.session().close();
        } catch (RuntimeException e) {
            // a broken session: nothing more to do with it
        }
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            for (Session session : idle) {
                try {
                    session.close();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
            idle.clear();
        }
        if (ownsWarehouse) {
            warehouse.close();
        }
    }
}
