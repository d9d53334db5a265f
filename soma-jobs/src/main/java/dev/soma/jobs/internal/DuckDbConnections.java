package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;

import java.util.ArrayDeque;
import java.util.Deque;

/** Sessions of one warehouse ({@code duplicate()} connections), kept for reuse. */
public final class DuckDbConnections implements Connections {

    private final Warehouse warehouse;
    private final boolean ownsWarehouse;
    private final Deque<Session> idle = new ArrayDeque<>();
    private boolean closed;

    public DuckDbConnections(Warehouse warehouse, boolean ownsWarehouse) {
        this.warehouse = warehouse;
        this.ownsWarehouse = ownsWarehouse;
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
