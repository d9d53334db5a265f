package dev.soma.jobs;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;

import java.sql.Connection;

/**
 * The open transaction a {@link TransactionalJobHandler} writes its effect in, on the queue's own
 * database. Do not commit, roll back or close it: the queue commits it together with the job's
 * completion.
 */
public interface TransactionContext {

    /** The connection, in a transaction (auto-commit off). */
    Connection connection();

    /**
     * The same transaction as a Soma {@link Session} (for the Appender and Soma's helpers).
     *
     * @throws UnsupportedOperationException on the PostgreSQL store, which has no DuckDB session
     */
    Session session();

    /**
     * Whether this transaction is on {@code warehouse}'s own database, so that writes to that warehouse can join
     * it ({@link #session()}) and commit with the jobs' completion: true only on the DuckDB store opened on this
     * very {@link Warehouse} object. False on the PostgreSQL store, and on a DuckDB store on another warehouse:
     * a handler then writes the warehouse in a transaction of its own.
     */
    boolean isOn(Warehouse warehouse);
}
