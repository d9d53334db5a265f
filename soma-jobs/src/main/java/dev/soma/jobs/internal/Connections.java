package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Session;

import java.sql.Connection;

/** A small pool of connections to a store's database. Thread-safe. */
public interface Connections extends AutoCloseable {

    /** A connection for one thread, in auto-commit mode. */
    Lent acquire();

    /** Gives {@code lent} back; a broken one is closed instead of kept. */
    void release(Lent lent, boolean broken);

    /** Closes every idle connection and refuses further acquires. */
    @Override
    void close();

    /** A connection on loan, with its Soma session when the store is DuckDB. */
    record Lent(Connection connection, Session session) {
    }
}
