package dev.soma.jobs;

import dev.soma.core.error.DatabaseLockedException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.internal.DuckDbConnections;
import dev.soma.jobs.internal.Owners;
import dev.soma.jobs.internal.PostgresConnections;
import dev.soma.jobs.internal.PostgresListener;
import dev.soma.jobs.internal.SqlJobStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;

/**
 * Opens the job stores. Each creates its tables ({@code soma_meta.jobs}, {@code soma_meta.job_errors})
 * when they are missing.
 *
 * <pre>{@code
 * JobStore local = JobStores.duckdb(warehouse);                                  // the default
 * JobStore shared = JobStores.postgres("jdbc:postgresql://db:5432/soma?user=soma");  // many worker processes
 * }</pre>
 */
public final class JobStores {

    private JobStores() {
    }

    /**
     * The DuckDB store on an open warehouse (not closed with the store). Jobs left {@code processing} by a
     * process that died are rescued at once: only one process can have the file open.
     */
    public static JobStore duckdb(Warehouse warehouse) {
        return duckdb(warehouse, false);
    }

    /**
     * The DuckDB store on a database file, opened here and closed with the store.
     *
     * @throws DatabaseLockedException naming the process that holds the file
     */
    public static JobStore duckdb(Path file) {
        return duckdb(Warehouse.open(file), true);
    }

    private static JobStore duckdb(Warehouse warehouse, boolean owns) {
        SqlJobStore store = new SqlJobStore(SqlJobStore.Dialect.DUCKDB, new DuckDbConnections(warehouse, owns),
                warehouse.describe());
        try {
            store.migrate();
            store.rescueOrphans(Clock.systemUTC().instant(), Owners.processPrefix());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * The PostgreSQL store at a JDBC URL ({@code jdbc:postgresql://host:port/db?user=…&password=…}).
     *
     * @throws QueueUnavailableException in one line, when the URL is not PostgreSQL's or does not connect
     */
    public static JobStore postgres(String url) {
        return postgres(url, new Properties());
    }

    /** The PostgreSQL store with connection properties (user, password, …) besides the URL. */
    public static JobStore postgres(String url, Properties properties) {
        String shown = redact(url);
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new QueueUnavailableException(shown, "queue URL '" + shown
                    + "' is not a PostgreSQL JDBC URL; use jdbc:postgresql://HOST:PORT/DATABASE?user=NAME", null);
        }
        PostgresConnections connections = new PostgresConnections(url, properties);
        try (Connection probe = connections.open()) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw new QueueUnavailableException(shown, "cannot connect to the PostgreSQL queue at " + shown + ": "
                    + firstLine(e.getMessage()).replaceAll("[.\\s]+$", "") + "; check that the server runs and the URL, user and password are right", e);
        }
        SqlJobStore store = new SqlJobStore(SqlJobStore.Dialect.POSTGRES, connections, shown);
        PostgresListener listener = new PostgresListener(connections, store::wake);
        store.beforeAwait(listener::start);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        store.closeWith(listener);
        return store;
    }

    /** The URL with any password parameter blanked. */
    static String redact(String url) {
        return url == null ? "" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
