package dev.soma.server.internal.http;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.SqlWork;
import dev.soma.core.warehouse.Warehouse;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A small pool of warehouse sessions for request threads. Every use runs inside
 * {@link Session#readOnly}, so a request can never write, whatever SQL it leads to. Thread-safe.
 */
public final class ReadSessions implements AutoCloseable {

    private static final SqlOwner OWNER = SqlOwner.soma("http server");

    private final Warehouse warehouse;
    private final BlockingQueue<Session> idle;

    public ReadSessions(Warehouse warehouse, int size) {
        this.warehouse = warehouse;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** Runs {@code work} on a pooled session in a read-only transaction. */
    public <T> T read(SqlWork<Session, T> work) {
        Session session = idle.poll();
        if (session == null) {
            session = warehouse.openSession();
        }
        boolean healthy = false;
        try {
            T result = session.readOnly(OWNER, work);
            healthy = true;
            return result;
        } finally {
            if (!healthy || !idle.offer(session)) {
                closeQuietly(session);
            }
        }
    }

    @Override
    public void close() {
        Session session;
        while ((session = idle.poll()) != null) {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            // The warehouse may already be closed; the session went with it.
        }
    }
}
