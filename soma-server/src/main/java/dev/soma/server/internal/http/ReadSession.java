package dev.soma.server.internal.http;

import dev.soma.core.warehouse.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pooled warehouse {@link Session} with the statements it has prepared, kept for the next request on it: a
 * page query is parsed and planned once per connection, not once per request. A statement that fails is closed
 * and forgotten (DuckDB's driver answers "Statement was closed" to every later use of it), and so is the least
 * recently used one beyond {@value #MAX_STATEMENTS}. For one thread at a time, like its session.
 */
public final class ReadSession {

    static final int MAX_STATEMENTS = 64;

    private final Session session;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);

    ReadSession(Session session) {
        this.session = session;
    }

    /** The session, for work without prepared statements. */
    public Session session() {
        return session;
    }

    /** Runs {@code sql} with {@code binds} (strings, integers, longs) on its prepared statement. */
    public <T> T query(String sql, List<Object> binds, ResultReader<T> reader) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = session.jdbc().prepareStatement(sql);
            statements.put(sql, statement);
            if (statements.size() > MAX_STATEMENTS) {
                Iterator<PreparedStatement> eldest = statements.values().iterator();
                closeQuietly(eldest.next());
                eldest.remove();
            }
        }
        boolean done = false;
        try {
            for (int i = 0; i < binds.size(); i++) {
                Object value = binds.get(i);
                if (value instanceof String text) {
                    statement.setString(i + 1, text);
                } else if (value instanceof Integer number) {
                    statement.setInt(i + 1, number);
                } else {
                    statement.setLong(i + 1, (Long) value);
                }
            }
            T result;
            try (ResultSet rs = statement.executeQuery()) {
                result = reader.read(rs);
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                statements.remove(sql);
                closeQuietly(statement);
            }
        }
    }

    /** Reads a result set. */
    @FunctionalInterface
    public interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Closes the statements, then the session. */
    void close() {
        statements.values().forEach(ReadSession::closeQuietly);
        statements.clear();
        try {
            session.close();
        } catch (RuntimeException e) {
            // The warehouse may be closed already, and the session with it.
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException | RuntimeException e) {
            // a statement that cannot be closed is gone already
        }
    }
}
