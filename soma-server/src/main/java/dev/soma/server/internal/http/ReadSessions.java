package dev.soma.server.internal.http;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.SqlWork;
import dev.soma.core.warehouse.Warehouse;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Warehouse sessions for request threads, each with its prepared statements ({@link ReadSession}), kept for
 * reuse: up to {@code size} idle ones, more opened ({@code duplicate()} of the warehouse's database) when more
 * requests run at once. Every use runs inside {@link Session#readOnly}, so a request can never write, whatever
 * SQL it leads to. A session whose work failed with anything but an {@link HttpFailure} (an answer to the
 * client, after which the transaction is rolled back as always) is closed rather than reused. Thread-safe.
 */
public final class ReadSessions implements AutoCloseable {

    private static final SqlOwner OWNER = SqlOwner.soma("http server");

    private final Warehouse warehouse;
    private final int size;
    private final Deque<ReadSession> idle = new ArrayDeque<>();
    private boolean closed;

    /** Keeps up to {@code size} idle sessions. */
    public ReadSessions(Warehouse warehouse, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("keeps at least one idle session, got " + size);
        }
        this.warehouse = warehouse;
        this.size = size;
    }

    /** Runs {@code work} on a pooled session in a read-only transaction. */
    public <T> T read(SqlWork<Session, T> work) {
        return readPrepared(session -> work.apply(session.session()));
    }

    /** Runs {@code work} on a pooled session, with its prepared statements, in a read-only transaction. */
    public <T> T readPrepared(SqlWork<ReadSession, T> work) {
        ReadSession session = acquire();
        boolean reusable = false;
        try {
            T result = session.session().readOnly(OWNER, ignored -> work.apply(session));
            reusable = true;
            return result;
        } catch (HttpFailure failure) {
            reusable = true;
            throw failure;
        } finally {
            release(session, reusable);
        }
    }

    private ReadSession acquire() {
        ReadSession session;
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("the server's sessions on " + warehouse.describe() + " are closed");
            }
            session = idle.poll();
        }
        return session != null ? session : new ReadSession(warehouse.openSession());
    }

    private void release(ReadSession session, boolean reusable) {
        synchronized (idle) {
            if (reusable && !closed && idle.size() < size) {
                idle.push(session);
                return;
            }
        }
        session.close();
    }

    /** Closes the idle sessions; sessions still lent are closed when they come back. Idempotent. */
    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(ReadSession::close);
            idle.clear();
        }
    }
}
