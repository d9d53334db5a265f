package dev.soma.core.warehouse;

import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads DuckDB's JDBC driver on a thread of its own, for a process that is about to open a database: the driver's
 * class starts the JDK's flight-recorder metadata (it registers a memory event), its native class loads the 71 MB
 * engine library, and {@link DriverManager} finds every driver on the class path. That is 0.25-0.35 s of a cold
 * start that the first {@link Warehouse#open} would otherwise wait for; begun while the command line is still
 * being read, most of it is done by then (a {@code soma run} of 10,000 views: benchmarks/README.md, section 23).
 *
 * <p>Best effort: a driver that is not there or fails here fails again, with its error, at the first open. A second
 * call does nothing. Thread-safe.
 */
public final class DriverPreload {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private DriverPreload() {
    }

    /** Starts loading the driver in the background, once per process. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(DriverPreload::load, "soma-load-duckdb");
        thread.setDaemon(true);
        thread.start();
    }

    private static void load() {
        ClassLoader loader = DriverPreload.class.getClassLoader();
        try {
            DriverManager.getDrivers();
            Class.forName("org.duckdb.DuckDBDriver", true, loader);
            Class.forName("org.duckdb.DuckDBNative", true, loader);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // the first open reports it
        }
    }
}
