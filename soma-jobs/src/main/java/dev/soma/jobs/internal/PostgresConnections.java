package dev.soma.jobs.internal;

import dev.soma.jobs.QueueUnavailableException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;

/** Plain JDBC connections to one PostgreSQL URL, kept for reuse (at most 64 idle). */
public final class PostgresConnections implements Connections {

    private final String url;
    private final Properties properties;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    public PostgresConnections(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    /**
     * Opens one connection and checks it, so a wrong URL fails at once and in one line.
     *
     * @param shown the URL as messages show it (no password)
     * @throws QueueUnavailableException when it does not connect
     */
    public void verify(String shown) {
        try (Connection probe = open()) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw new QueueUnavailableException(shown, "cannot connect to the PostgreSQL queue at " + shown + ": "
                    + JobTables.firstLine(e.getMessage()).replaceAll("[.\\s]+$", "")
                    + "; check that the server runs and the URL, user and password are right", e);
        }
    }

    /** A new connection, not pooled (the LISTEN connection). */
    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public Lent acquire() {
        Connection connection;
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("the job store is closed");
            }
            connection = idle.poll();
        }
        if (connection == null) {
            try {
                connection = open();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to PostgreSQL: " + e.getMessage(), e);
            }
        }
        return new Lent(connection, null);
    }

    @Override
    public void release(Lent lent, boolean broken) {
        synchronized (idle) {
            if (!closed && !broken && idle.size() < 64) {
                idle.push(lent.connection());
                return;
            }
        }
        try {
            lent.connection().close();
        } catch (SQLException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            for (Connection connection : idle) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // closing anyway
                }
            }
            idle.clear();
        }
    }
}
