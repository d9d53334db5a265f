package dev.soma.server.internal.http;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SessionPool;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.SqlWork;
import dev.soma.core.warehouse.Warehouse;

/**
 * Warehouse sessions for request threads, from a {@link SessionPool}. Every use runs inside
 * {@link Session#readOnly}, so a request can never write, whatever SQL it leads to. Thread-safe.
 */
public final class ReadSessions implements AutoCloseable {

    private static final SqlOwner OWNER = SqlOwner.soma("http server");

    private final SessionPool pool;

    /** Keeps up to {@code size} idle sessions. */
    public ReadSessions(Warehouse warehouse, int size) {
        this.pool = new SessionPool(warehouse, size);
    }

    /** Runs {@code work} on a pooled session in a read-only transaction. */
    public <T> T read(SqlWork<Session, T> work) {
        return pool.use(session -> session.readOnly(OWNER, work));
    }

    @Override
    public void close() {
        pool.close();
    }
}
