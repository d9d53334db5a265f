package dev.soma.models.internal.database;

import dev.soma.core.concurrent.Completions;
import dev.soma.core.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The target's database, opened on a thread of its own while the project loads. Opening a DuckDB file is about a
 * second of one core that loading the project does not need: the driver copies its native library out of its jar and
 * DuckDB reads the whole catalog (10,000 views: 0.8 s on its own), while the load keeps the other core busy. A verb
 * that needs the database then finds it open ({@link LazyWarehouse#get}).
 *
 * <p>Only a database file that already exists is opened early, so a project that fails to load never leaves a new
 * empty database behind, and a read-only command's "no database" error comes, as before, from the lazy open. Whatever
 * the early open meets (a lock held by another process, a damaged file) is kept and thrown by {@link #join}, at the
 * moment the lazy open would have thrown it; a warehouse opened early and never used is closed by {@link #close}.
 * Thread-safe.
 */
public final class EarlyWarehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyWarehouse.class);

    private final Path file;
    private final CompletableFuture<Warehouse> opening;

    private EarlyWarehouse(Path file, CompletableFuture<Warehouse> opening) {
        this.file = file;
        this.opening = opening;
    }

    /**
     * Starts opening {@code target}'s database, as {@link Target#open} would, if it is a file that exists.
     *
     * @param projectRoot the project folder, absolute (what {@link LazyWarehouse} is given)
     * @param override    the database over the target's ({@code --db}), or {@code null}
     * @return the opening, or {@code null} when nothing is opened early (in memory, no such file yet)
     */
    public static EarlyWarehouse start(Target target, Path projectRoot, Path override, boolean mustExist) {
        Path file;
        try {
            file = target.databaseFile(projectRoot, override);
        } catch (RuntimeException e) {
            return null; // the lazy open reports it
        }
        if (file == null || !target.provider().usesDatabaseFile() || !Files.isRegularFile(file)) {
            return null;
        }
        CompletableFuture<Warehouse> opening = CompletableFuture.supplyAsync(
                () -> target.open(projectRoot, override, mustExist), EarlyWarehouse::onItsOwnThread);
        return new EarlyWarehouse(file, opening);
    }

    private static void onItsOwnThread(Runnable open) {
        Thread thread = new Thread(open, "soma-open-database");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this is the opening of {@code file}. */
    public boolean opens(Path file) {
        return this.file.equals(file);
    }

    /** The opened warehouse, waiting for it; what the open threw is thrown as it was. */
    public Warehouse join() {
        return Completions.join(opening);
    }

    /** Closes the warehouse opened early and never used (waiting for the open to end); a failed open is ignored. */
    @Override
    public void close() {
        try {
            join().close();
        } catch (RuntimeException e) {
            LOG.debug("the database {} opened early and not used could not be opened or closed: {}", file, e.toString());
        }
    }
}
