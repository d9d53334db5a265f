package dev.soma.core.warehouse;

import dev.soma.core.engine.Engine;
import dev.soma.core.error.DatabaseLockedException;
import dev.soma.core.error.DatabaseUnavailableException;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One database on one {@link Engine}: an embedded DuckDB database (a file, or in memory; the default),
 * or another engine's warehouse that its provider {@linkplain #connect connected}.
 *
 * <pre>{@code
 * try (Warehouse warehouse = Warehouse.open(Path.of("soma.duckdb"))) {
 *     warehouse.createSchema("raw");
 *     long rows = warehouse.queryLong(SqlOwner.soma("check"), "SELECT count(*) FROM raw.books");
 * }
 * }</pre>
 *
 * <p>The warehouse owns a primary {@link Session}, used by the convenience methods here, which is
 * for one thread at a time. Each worker thread takes its own session with {@link #openSession()}
 * (a {@code duplicate()} of the primary connection, sharing the same database). {@link #close()}
 * closes every session still open, then the database, releasing the file lock.
 *
 * <p>{@link #engine()} says how SQL is spelt here; every session carries the same engine.
 *
 * <p>{@link #openSession()} and {@link #close()} are thread-safe; the convenience methods are not.
 */
public final class Warehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);
    private static final Pattern LOCK_HOLDER =
            Pattern.compile("Conflicting lock is held in (.+?) \\(PID (\\d+)\\)");

    private final Path file;
    private final String description;
    private final Engine engine;
    private final ConnectionSource connections;
    private final Session primary;
    private final Deque<Session> sessions = new ArrayDeque<>();
    private boolean closed;

    private Warehouse(Path file, DuckDBConnection connection) {
        this(file, file == null ? ":memory:" : file.toString(), DuckDbEngine.INSTANCE, connection,
                new ConnectionSource() {
                    @Override
                    public Connection open() throws SQLException {
                        return connection.duplicate();
                    }

                    @Override
                    public void close() {
                    }
                });
    }

    private Warehouse(Path file, String description, Engine engine, Connection primaryConnection,
                      ConnectionSource connections) {
        this.file = file;
        this.description = description;
        this.engine = engine;
        this.connections = connections;
        this.primary = new Session(primaryConnection, engine, () -> { });
    }

    /**
     * A warehouse on {@code engine}, its sessions on connections from {@code connections}: how an engine's
     * {@link dev.soma.core.engine.EngineProvider} hands Soma its warehouse. The warehouse owns the source
     * and closes it last.
     *
     * @param description a human-readable name for messages (a path, a URL)
     * @throws DatabaseUnavailableException when the first connection cannot be opened
     */
    public static Warehouse connect(Engine engine, String description, ConnectionSource connections) {
        Connection first;
        try {
            first = connections.open();
        } catch (SQLException e) {
            connections.close();
            throw new DatabaseUnavailableException(null, "cannot connect to " + description + ": " + firstLine(
                    e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        return new Warehouse(null, description, engine, first, connections);
    }

    /**
     * Opens (creating if needed) the database file at {@code file}. Missing parent directories are
     * created.
     *
     * @throws DatabaseLockedException      if another process holds the file
     * @throws DatabaseUnavailableException if the file is not a DuckDB database or cannot be read
     */
    public static Warehouse open(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new DatabaseUnavailableException(file,
                    "cannot create the folder for database " + file + ": " + e.getMessage()
                            + "; choose another path with --db", e);
        }
        if (Files.isDirectory(absolute)) {
            throw new DatabaseUnavailableException(file,
                    "database path " + file + " is a folder; pass a file path such as " + file.resolve("soma.duckdb"),
                    null);
        }
        try {
            DuckDBConnection connection = connect("jdbc:duckdb:" + absolute);
            LOG.debug("opened database {}", absolute);
            return new Warehouse(absolute, connection);
        } catch (SQLException e) {
            throw openFailure(file, e);
        }
    }

    /** Opens a fresh in-memory database, private to this warehouse and its sessions. */
    public static Warehouse inMemory() {
        try {
            return new Warehouse(null, connect("jdbc:duckdb:"));
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(null, "cannot start an in-memory DuckDB: " + e.getMessage(), e);
        }
    }

    private static DuckDBConnection connect(String url) throws SQLException {
        return DriverManager.getConnection(url).unwrap(DuckDBConnection.class);
    }

    private static SomaException openFailure(Path file, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Could not set lock on file")) {
            Matcher holder = LOCK_HOLDER.matcher(message);
            String who = holder.find() ? "PID " + holder.group(2) + ", " + holder.group(1) : null;
            return new DatabaseLockedException(file, who, e);
        }
        if (message.contains("not a valid DuckDB database file") || message.contains("Invalid Input Error")) {
            return new DatabaseUnavailableException(file,
                    "file " + file + " is not a DuckDB database; pass another path with --db", e);
        }
        if (message.contains("storage version") || message.contains("newer version")) {
            return new DatabaseUnavailableException(file,
                    "database " + file + " was written by a different DuckDB version than Soma's ("
                            + duckdbVersionOrUnknown() + "): " + firstLine(message)
                            + "; export it with that version, or start a new file with --db", e);
        }
        return new DatabaseUnavailableException(file,
                "cannot open database " + file + ": " + firstLine(message), e);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    private static String duckdbVersionOrUnknown() {
        try (Warehouse probe = inMemory()) {
            return probe.duckdbVersion();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** The database file, or empty for an in-memory database. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** A human-readable name: the file path, {@code :memory:}, or what the engine's provider named it. */
    public String describe() {
        return description;
    }

    /** The engine this warehouse runs on: how its SQL is spelt and what it can do. */
    public Engine engine() {
        return engine;
    }

    /**
     * A new session on its own connection to this database, for one worker thread. The caller closes
     * it; any still open when the warehouse closes are closed then.
     */
    public Session openSession() {
        synchronized (sessions) {
            ensureOpen();
            try {
                Session[] self = new Session[1];
                self[0] = new Session(connections.open(), engine, () -> forget(self[0]));
                sessions.push(self[0]);
                return self[0];
            } catch (SQLException e) {
                // Out of memory, file handles or a broken database: the environment, not a bug in Soma.
                throw new DatabaseUnavailableException(file, "cannot open another connection to " + describe() + ": "
                        + e.getMessage() + "; lower --threads, or check the database file and free memory", e);
            }
        }
    }

    /** The warehouse's own session, for one thread at a time. */
    public Session session() {
        ensureOpen();
        return primary;
    }

    /** See {@link Session#execute}. */
    public long execute(SqlOwner owner, String sql) {
        return session().execute(owner, sql);
    }

    /** See {@link Session#query}. */
    public <T> T query(SqlOwner owner, String sql, SqlWork<ResultSet, T> reader) {
        return session().query(owner, sql, reader);
    }

    /** See {@link Session#queryList}. */
    public <T> List<T> queryList(SqlOwner owner, String sql, SqlWork<ResultSet, T> rowMapper) {
        return session().queryList(owner, sql, rowMapper);
    }

    /** See {@link Session#queryLong}. */
    public long queryLong(SqlOwner owner, String sql) {
        return session().queryLong(owner, sql);
    }

    /** See {@link Session#inTransaction}. */
    public <T> T inTransaction(SqlOwner owner, SqlWork<Session, T> work) {
        return session().inTransaction(owner, work);
    }

    /** See {@link Session#append}. */
    public <T> T append(SqlOwner owner, String schema, String table, SqlWork<DuckDBAppender, T> work) {
        return session().append(owner, schema, table, work);
    }

    /** See {@link Session#createSchema}. */
    public void createSchema(String schema) {
        session().createSchema(schema);
    }

    /** See {@link Session#relationType}. */
    public String relationType(String schema, String name) {
        return session().relationType(schema, name);
    }

    /** See {@link Session#relationExists}. */
    public boolean relationExists(String schema, String name) {
        return session().relationExists(schema, name);
    }

    /** The engine's version as {@code SELECT version()} gives it, e.g. {@code v1.4.4} for DuckDB. */
    public String duckdbVersion() {
        return session().query(SqlOwner.soma("version"), "SELECT version()", rs -> {
            rs.next();
            return rs.getString(1);
        });
    }

    /** Closes every session still open, then the database. Idempotent. */
    @Override
    public void close() {
        synchronized (sessions) {
            if (closed) {
                return;
            }
            closed = true;
            for (Session session : List.copyOf(sessions)) {
                closeQuietly(session);
            }
            closeQuietly(primary);
            try {
                connections.close();
            } catch (RuntimeException e) {
                LOG.debug("ignored failure closing the connections of {}", describe(), e);
            }
            LOG.debug("closed database {}", describe());
        }
    }

    private void forget(Session session) {
        synchronized (sessions) {
            sessions.remove(session);
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.debug("ignored failure closing a session", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SomaException(ErrorCode.INTERNAL, "warehouse " + describe() + " is closed");
        }
    }
}
