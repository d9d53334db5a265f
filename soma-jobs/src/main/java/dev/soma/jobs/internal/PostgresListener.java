package dev.soma.jobs.internal;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One daemon thread on its own connection that {@code LISTEN}s on {@value PostgresJobStore#CHANNEL} and wakes
 * the store's idle workers when a job is enqueued anywhere. If the connection drops it reconnects after a
 * pause; meanwhile workers fall back to polling.
 */
public final class PostgresListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresListener.class);

    private final PostgresConnections connections;
    private final Runnable onNotify;
    private final Thread thread;
    private volatile boolean closed;

    public PostgresListener(PostgresConnections connections, Runnable onNotify) {
        this.connections = connections;
        this.onNotify = onNotify;
        this.thread = new Thread(this::loop, "soma-jobs-listen");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try (Connection connection = connections.open()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + PostgresJobStore.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    var notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        onNotify.run();
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.warn("lost the PostgreSQL LISTEN connection ({}); polling until it is back", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
