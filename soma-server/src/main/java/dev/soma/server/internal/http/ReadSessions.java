package dev.soma.server.internal.http;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.SqlWork;
import dev.soma.core.warehouse.Warehouse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Warehouse sessions for request threads, each with its prepared statements ({@link ReadSession}), kept for
 * reuse: up to {@code size} idle ones, more opened ({@code duplicate()} of the warehouse's database) when more
 * requests run at once. {@link #read} runs inside {@link Session#readOnly}, so a request can never write, whatever
 * SQL it leads to; {@link #readPrepared} is for the SELECTs a handler builds itself from catalog names and bind
 * parameters, and runs them without a transaction around them ({@link Session#readStatements}). A session whose work failed with anything but an {@link HttpFailure} (an answer to the
 * client, after which the transaction is rolled back as always) is closed rather than reused.
 *
 * <p>Admission: at most {@code concurrent} {@link #readPrepared} calls (the data pages, which scan the models'
 * relations) work at once; the others wait their turn in the order they came (a fair semaphore). The engine runs
 * every query on all the machine's cores already, so more scans at once than cores only time-slice them: each takes
 * longer, and which one finishes first is left to the operating system's scheduler, which is what makes a slow tail
 * (benchmarks/README.md section 19). {@link #read} (health, runs, stats, catalog lookups: small reads of Soma's own
 * tables) never waits for a turn, so {@code /health} answers while slow pages hold every turn. Thread-safe.
 */
public final class ReadSessions implements AutoCloseable {

    private static final SqlOwner OWNER = SqlOwner.soma("http server");

    private final Warehouse warehouse;
    private final int size;
    private final Deque<ReadSession> idle = new ArrayDeque<>();
    private final Semaphore turns;
    private boolean closed;

    /** Keeps up to {@code size} idle sessions; lets {@code concurrent} requests work at once. */
    public ReadSessions(Warehouse warehouse, int size, int concurrent) {
        if (size < 1) {
            throw new IllegalArgumentException("keeps at least one idle session, got " + size);
        }
        if (concurrent < 1) {
            throw new IllegalArgumentException("lets at least one request work at once, got " + concurrent);
        }
        this.warehouse = warehouse;
        this.size = size;
        this.turns = new Semaphore(concurrent, true);
    }

    /** Runs {@code work} on a pooled session in a read-only transaction, without waiting for a turn. */
    public <T> T read(SqlWork<Session, T> work) {
        return lend(session -> session.session().readOnly(OWNER, work));
    }

    /**
     * Runs {@code work} on a pooled session, with its prepared statements, each statement in its own snapshot
     * (no {@code BEGIN}/{@code ROLLBACK} around them: two statements fewer per page).
     * Only for SELECTs the handler builds itself: identifiers from the catalog, every value a bind parameter.
     * Waits for its turn (see the class comment).
     */
    public <T> T readPrepared(SqlWork<ReadSession, T> work) {
        try {
            turns.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpFailure(503, "the server is stopping; try again shortly");
        }
        try {
            return lend(session -> session.session().readStatements(OWNER, ignored -> work.apply(session)));
        } finally {
            turns.release();
        }
    }

    /** Lends a session to {@code use}; it goes back to the pool unless it failed with more than an answer. */
    private <T> T lend(Function<ReadSession, T> use) {
        ReadSession session = acquire();
        boolean reusable = false;
        try {
            T result = use.apply(session);
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
