package dev.soma.jobs.internal;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.WriteConflicts;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a job store runs its work on its pool ({@link Connections}): in auto-commit mode, or in a transaction that
 * commits when the work returns and rolls back when it throws; a connection left broken is not reused. An
 * {@linkplain #withEffect effect} that commits itself is run again on a lost write race, after a roll back.
 * SQL failures come out as {@link SomaException}s naming the store. Thread-safe.
 */
final class Transactions {

    private final Connections connections;
    private final String description;
    private final int tries;

    Transactions(Connections connections, String description, int tries) {
        this.connections = connections;
        this.description = description;
        this.tries = tries;
    }

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Work on a lent connection (and its session, where there is one). */
    @FunctionalInterface
    interface LentWork<T> {
        T apply(Connections.Lent lent) throws SQLException;
    }

    /** Work in an open transaction that commits (or rolls back) itself. */
    @FunctionalInterface
    interface EffectWork<T> {
        T apply(Connections.Lent lent) throws Exception;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    <T> T autoCommit(LentWork<T> work) {
        return withConnection(work, false);
    }

    /** Runs {@code work} in one transaction, once: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(LentWork<T> work) {
        return withConnection(work, true);
    }

    private <T> T withConnection(LentWork<T> work, boolean transactional) {
        Connections.Lent lent = acquire();
        Connection connection = lent.connection();
        boolean broken = false;
        try {
            if (transactional) {
                connection.setAutoCommit(false);
            }
            T result = work.apply(lent);
            if (transactional) {
                connection.commit();
            }
            return result;
        } catch (SQLException e) {
            broken = rollBack(connection, transactional);
            throw new SomaException(ErrorCode.SQL_ERROR, "job store " + description + ": " + JobTables.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            broken = rollBack(connection, transactional);
            throw e;
        } finally {
            release(lent, connection, transactional, broken);
        }
    }

    /**
     * Runs {@code work} in a transaction on a connection of its own; on a lost write race rolls back and runs it
     * again (up to {@code tries} in all), so the effect in it must be safe to repeat.
     */
    <T> T withEffect(EffectWork<T> work) throws Exception {
        try {
            return WriteConflicts.retrying(tries, () -> {
                try {
                    return effectOnce(work);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Checked(e);
                }
            });
        } catch (Checked e) {
            throw e.checked;
        }
    }

    private <T> T effectOnce(EffectWork<T> work) throws Exception {
        Connections.Lent lent = connections.acquire();
        Connection connection = lent.connection();
        boolean broken = false;
        try {
            connection.setAutoCommit(false);
            return work.apply(lent);
        } catch (Exception e) {
            broken = rollBack(connection, true);
            throw e;
        } finally {
            release(lent, connection, true, broken);
        }
    }

    /** A checked failure of an effect, carried through {@link WriteConflicts#retrying} (which sees its cause). */
    private static final class Checked extends RuntimeException {
        private final Exception checked;

        Checked(Exception checked) {
            super(checked);
            this.checked = checked;
        }
    }

    private Connections.Lent acquire() {
        try {
            return connections.acquire();
        } catch (IllegalStateException e) {
            throw new SomaException(ErrorCode.DATABASE_UNAVAILABLE, "job store " + description + ": " + e.getMessage(), e);
        }
    }

    private void release(Connections.Lent lent, Connection connection, boolean transactional, boolean broken) {
        if (transactional) {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                broken = true;
            }
        }
        connections.release(lent, broken);
    }

    /** Rolls back (when in a transaction); whether the connection is broken. */
    private static boolean rollBack(Connection connection, boolean transactional) {
        if (transactional) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the transaction is gone already
            }
        }
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Closes the pool's idle connections and refuses further work. */
    void close() {
        connections.close();
    }
}
