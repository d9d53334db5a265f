package dev.soma.jobs.internal;

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
