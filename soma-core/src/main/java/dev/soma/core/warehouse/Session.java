package dev.soma.core.warehouse;

import dev.soma.core.engine.Engine;
import dev.soma.core.engine.RelationKind;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.error.SqlExecutionException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to the warehouse, for one thread at a time. Obtain one per worker with
 * {@link Warehouse#openSession()}; close it when the worker is done.
 *
 * <p>Every method takes the {@link SqlOwner} on whose behalf it runs and turns a
 * {@link SQLException} into a {@link SqlExecutionException} naming that owner.
 *
 * <p>Each statement runs on a fresh JDBC {@link Statement}: after a failed {@code execute} the
 * DuckDB driver answers "Statement was closed" to every later call on the same statement, so
 * statements are never reused.
 *
 * <p>Not thread-safe.
 */
public final class Session implements AutoCloseable {

    private final Connection connection;
    private final Engine engine;
    private final Runnable onClose;

    Session(Connection connection, Engine engine, Runnable onClose) {
        this.connection = connection;
        this.engine = engine;
        this.onClose = onClose;
        for (String statement : engine.sessionSetup()) {
            execute(SqlOwner.soma("session setup"), statement);
        }
    }

    /** The engine this session's warehouse runs on. */
    public Engine engine() {
        return engine;
    }

    /**
     * Runs one statement (or several separated by semicolons).
     *
     * @return the update count of the last statement, or -1 when it returned rows or no count
     */
    public long execute(SqlOwner owner, String sql) {
        try (Statement statement = connection.createStatement()) {
            boolean hasResultSet = statement.execute(sql);
            return hasResultSet ? -1 : statement.getLargeUpdateCount();
        } catch (SQLException e) {
            throw failure(owner, sql, e);
        }
    }

    /** Runs a query and hands its result set to {@code reader}. */
    public <T> T query(SqlOwner owner, String sql, SqlWork<ResultSet, T> reader) {
        try (Statement statement = connection.createStatement();
             ResultSet resultSet = statement.executeQuery(sql)) {
            return reader.apply(resultSet);
        } catch (SQLException e) {
            throw failure(owner, sql, e);
        }
    }

    /** Runs a query and maps each row. */
    public <T> List<T> queryList(SqlOwner owner, String sql, SqlWork<ResultSet, T> rowMapper) {
        return query(owner, sql, rs -> {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rowMapper.apply(rs));
            }
            return rows;
        });
    }

    /** Runs a query that returns one number (a count, a sum); {@code null} becomes 0. */
    public long queryLong(SqlOwner owner, String sql) {
        return query(owner, sql, rs -> {
            if (!rs.next()) {
                throw new SQLException("query returned no rows, expected one number");
            }
            return rs.getLong(1);
        });
    }

    /**
     * Runs {@code work} in one transaction: all of it commits, or none of it does. A transaction
     * already open on this session is joined rather than nested (DuckDB has no nested transactions).
     * On an engine without multi-statement transactions ({@link Engine#supportsTransactions()} false)
     * the statements of {@code work} run and commit one by one.
     */
    public <T> T inTransaction(SqlOwner owner, SqlWork<Session, T> work) {
        if (!engine.supportsTransactions()) {
            return applyWrapped(owner, work, this);
        }
        boolean outermost;
        try {
            outermost = connection.getAutoCommit();
            if (outermost) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw failure(owner, "BEGIN TRANSACTION", e);
        }
        if (!outermost) {
            return applyWrapped(owner, work, this);
        }
        boolean committed = false;
        try {
            T result = applyWrapped(owner, work, this);
            connection.commit();
            committed = true;
            return result;
        } catch (SQLException e) {
            throw failure(owner, "COMMIT", e);
        } finally {
            if (!committed) {
                rollbackQuietly();
            }
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // The connection is unusable; whoever uses it next gets DuckDB's own error.
            }
        }
    }

    /**
     * Runs {@code work} in a read-only transaction, rolled back afterwards: any write inside it fails
     * with DuckDB's "transaction is launched in read-only mode", so what {@code work} does can never
     * change the database. Used by readers that run SQL on behalf of a remote caller (the HTTP server).
     * On an engine without transactions the connection is marked read-only for the duration instead,
     * which is as strong as the engine's driver makes it.
     */
    public <T> T readOnly(SqlOwner owner, SqlWork<Session, T> work) {
        if (!engine.supportsTransactions()) {
            return readOnlyConnection(owner, work);
        }
        try {
            if (!connection.getAutoCommit()) {
                throw new SomaException(ErrorCode.INTERNAL, "readOnly() inside an open transaction");
            }
            execute(owner, "BEGIN TRANSACTION READ ONLY");
        } catch (SQLException e) {
            throw failure(owner, "BEGIN TRANSACTION READ ONLY", e);
        }
        try {
            return applyWrapped(owner, work, this);
        } finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ROLLBACK");
            } catch (SQLException e) {
                // Already rolled back by a failed statement: nothing is left open.
            }
        }
    }

    /**
     * Runs {@code work}, whose statements are reads Soma builds itself, without opening a transaction around
     * them: each statement reads its own snapshot (autocommit), as a lone {@code SELECT} does anyway. For a
     * reader that answers with one statement, this saves the {@code BEGIN}/{@code ROLLBACK} pair of
     * {@link #readOnly}, which DuckDB runs as two more statements, each with its own parse and lock.
     * Never for SQL that comes from a caller: that goes through {@link #readOnly}. On an engine without
     * transactions this is {@link #readOnly}.
     */
    public <T> T readStatements(SqlOwner owner, SqlWork<Session, T> work) {
        if (!engine.supportsTransactions()) {
            return readOnlyConnection(owner, work);
        }
        try {
            if (!connection.getAutoCommit()) {
                throw new SomaException(ErrorCode.INTERNAL, "readStatements() inside an open transaction");
            }
        } catch (SQLException e) {
            throw failure(owner, "(autocommit check)", e);
        }
        return applyWrapped(owner, work, this);
    }

    private <T> T readOnlyConnection(SqlOwner owner, SqlWork<Session, T> work) {
        try {
            connection.setReadOnly(true);
        } catch (SQLException e) {
            throw failure(owner, "(read-only connection)", e);
        }
        try {
            return applyWrapped(owner, work, this);
        } finally {
            try {
                connection.setReadOnly(false);
            } catch (SQLException e) {
                // The connection is unusable; whoever uses it next gets the engine's own error.
            }
        }
    }

    /**
     * Bulk-loads rows through DuckDB's Appender, the fast path into a table. The appender is flushed
     * and closed when {@code work} returns; on failure it is closed without the caller's rows
     * counting as loaded (wrap in {@link #inTransaction} for all-or-nothing).
     *
     * @return what {@code work} returns (typically the number of rows appended)
     */
    public <T> T append(SqlOwner owner, String schema, String table, SqlWork<DuckDBAppender, T> work) {
        String target = Identifiers.qualify(schema, table);
        try (DuckDBAppender appender = duckdb().createAppender(schema, table)) {
            return work.apply(appender);
        } catch (SQLException e) {
            throw failure(owner, "APPEND INTO " + target, e);
        }
    }

    /** Creates a schema if it does not exist; safe when other connections create it at the same time. */
    public void createSchema(String schema) {
        createIfMissing(SqlOwner.soma("schema " + schema), engine.createSchema(schema));
    }

    /**
     * Runs an idempotent {@code CREATE … IF NOT EXISTS} statement. When another connection to the same
     * database (a second run, threads of one process) creates the same object at the same moment, DuckDB
     * fails the later one with a catalog write-write conflict; it is tried again, a few milliseconds later,
     * until the other has committed and {@code IF NOT EXISTS} holds.
     */
    public void createIfMissing(SqlOwner owner, String ddl) {
        WriteConflicts.retrying(50, () -> execute(owner, ddl));
    }

    /**
     * What kind of relation {@code schema.name} is, if it exists.
     *
     * @return {@code "table"}, {@code "view"}, or {@code null} when there is no such relation
     */
    public String relationType(String schema, String name) {
        RelationKind kind = engine.relationKind(this, schema, name);
        return kind == null ? null : kind == RelationKind.VIEW ? "view" : "table";
    }

    /** Whether {@code schema.name} exists as a table or view. */
    public boolean relationExists(String schema, String name) {
        return relationType(schema, name) != null;
    }

    /** The underlying JDBC connection, for work this class has no method for. Do not close it. */
    public Connection jdbc() {
        return connection;
    }

    /**
     * The underlying DuckDB connection, for its own API (appenders, arrow). Do not close it.
     *
     * @throws SomaException when this session is on another engine
     */
    /** Whether this is a DuckDB connection, so {@link #append} can load rows through its appender. */
    public boolean hasAppender() {
        try {
            return connection.isWrapperFor(DuckDBConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    public DuckDBConnection duckdb() {
        try {
            return connection.unwrap(DuckDBConnection.class);
        } catch (SQLException e) {
            throw new SomaException(ErrorCode.INTERNAL, "this needs DuckDB's own connection, and the warehouse runs on "
                    + engine.name(), e);
        }
    }

    @Override
    public void close() {
        onClose.run();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new SomaException(ErrorCode.INTERNAL, "could not close a warehouse connection: " + e.getMessage(), e);
        }
    }

    private <T> T applyWrapped(SqlOwner owner, SqlWork<Session, T> work, Session session) {
        try {
            return work.apply(session);
        } catch (SQLException e) {
            throw failure(owner, "(transaction)", e);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // Rollback fails only when the transaction is already gone, which is what we want.
        }
    }

    /** {@code e} as the exception users read, naming the engine that refused {@code sql}. */
    private SqlExecutionException failure(SqlOwner owner, String sql, SQLException e) {
        return new SqlExecutionException(owner, engine == null ? "DuckDB" : engine.displayName(), sql, e, null);
    }
}
