package dev.soma.core.warehouse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Function;

/**
 * Idle {@link Session}s of one {@link Warehouse}, kept for reuse so that a thread that needs a connection
 * for a moment does not open ({@code duplicate()}) and close one each time.
 *
 * <pre>{@code
 * try (SessionPool pool = new SessionPool(warehouse, 8)) {
 *     long rows = pool.use(session -> session.queryLong(owner, "SELECT count(*) FROM raw.books"));
 * }
 * }</pre>
 *
 * <p>A session is lent to one thread at a time: {@link #acquire()} hands out an idle one or opens a new one
 * (there is no upper bound on sessions in use), {@link #release} takes it back, keeping at most
 * {@code maxIdle} idle and closing the rest. What a caller does with a session (a read-only transaction,
 * a write lock) is the caller's business: the pool only keeps sessions. Thread-safe.
 *
 * <p>{@link #close()} closes the idle sessions; sessions still lent are closed when they come back. The
 * warehouse itself is not closed.
 */
public final class SessionPool implements AutoCloseable {

    private final Warehouse warehouse;
    private final int maxIdle;
    private final Deque<Session> idle = new ArrayDeque<>();
    private boolean closed;

    /**
     * @param warehouse the warehouse the sessions are opened on
     * @param maxIdle   how many returned sessions are kept for reuse, at least 1
     */
    public SessionPool(Warehouse warehouse, int maxIdle) {
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
        if (maxIdle < 1) {
            throw new IllegalArgumentException("a session pool keeps at least one idle session, got " + maxIdle);
        }
        this.maxIdle = maxIdle;
    }

    /** The warehouse the sessions are on. */
    public Warehouse warehouse() {
        return warehouse;
    }

    /**
     * An idle session, or a new one when none is idle. Give it back with {@link #release}.
     *
     * @throws IllegalStateException when the pool is closed
     */
    public Session acquire() {
        Session session;
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("the session pool on " + warehouse.describe() + " is closed");
            }
            session = idle.poll();
        }
        return session != null ? session : warehouse.openSession();
    }

    /**
     * Takes {@code session} back: kept for reuse when {@code reusable}, the pool is open and has room;
     * closed otherwise (a session whose connection broke, or whose state is unknown, is not reused).
     */
    public void release(Session session, boolean reusable) {
        synchronized (idle) {
            if (reusable && !closed && idle.size() < maxIdle) {
                idle.push(session);
                return;
            }
        }
        closeQuietly(session);
    }

    /**
     * Runs {@code work} on a lent session and gives it back; the session is reused only if {@code work}
     * returned normally.
     */
    public <T> T use(Function<Session, T> work) {
        Session session = acquire();
        boolean reusable = false;
        try {
            T result = work.apply(session);
            reusable = true;
            return result;
        } finally {
            release(session, reusable);
        }
    }

    /** Closes the idle sessions and refuses further {@link #acquire()}s. Idempotent. */
    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            for (Session session : idle) {
                closeQuietly(session);
            }
            idle.clear();
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            // The warehouse may be closed already, and the session with it.
        }
    }
}
