package dev.soma.core.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a {@link Warehouse} on an engine gets its connections: one for its own session, then one per
 * {@link Warehouse#openSession()}. An engine's provider passes one to
 * {@link Warehouse#connect(dev.soma.core.engine.Engine, String, ConnectionSource)}.
 *
 * <p>Must be thread-safe: sessions are opened from several threads.
 */
public interface ConnectionSource extends AutoCloseable {

    /** A new connection, closed by the session that gets it. */
    Connection open() throws SQLException;

    /** Releases what the source holds (an engine session, a client); called after every session closed. */
    @Override
    void close();
}
