package dev.soma.jobs;

import dev.soma.core.error.DatabaseLockedException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.internal.DuckDbConnections;
import dev.soma.jobs.internal.DuckDbJobStore;
import dev.soma.jobs.internal.Owners;
import dev.soma.jobs.internal.PostgresConnections;
import dev.soma.jobs.internal.PostgresJobStore;

import java.nio.file.Path;
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
        DuckDbJobStore store = new DuckDbJobStore(new DuckDbConnections(warehouse, owns));
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
        connections.verify(shown);
        PostgresJobStore store = new PostgresJobStore(connections, shown);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The URL with any password parameter blanked. */
    static String redact(String url) {
        return url == null ? "" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
