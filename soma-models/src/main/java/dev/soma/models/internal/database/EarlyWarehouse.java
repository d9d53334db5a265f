package dev.soma.models.internal.database;

import dev.soma.core.concurrent.Completions;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.internal.materialize.CatalogAtOpen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The target's database, opened on a thread of its own while the project loads. Opening a DuckDB file is about a
 * second of one core that loading the project does not need: the driver copies its native library out of its jar and
 * DuckDB reads the whole catalog (10,000 views: 0.8 s on its own), while the load keeps the other core busy. A verb
 * that needs the database then finds it open ({@link LazyWarehouse#get}). Once open, the same thread reads what a run
 * asks of the catalog first ({@link CatalogAtOpen}), which the first user of the warehouse may take.
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
    /** Read on the opening thread once the database is open, before {@link #opening} completes; {@code null}: not read. */
    private volatile CatalogAtOpen catalog;

    private EarlyWarehouse(Path file) {
        this.file = file;
        this.opening = new CompletableFuture<>();
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
        EarlyWarehouse early = new EarlyWarehouse(file);
        onItsOwnThread(() -> early.open(target, projectRoot, override, mustExist));
        return early;
    }

    /** Opens the database, then reads what a run asks of the catalog first ({@link CatalogAtOpen}), if it can. */
    private void open(Target target, Path projectRoot, Path override, boolean mustExist) {
        Warehouse warehouse;
        try {
            warehouse = target.open(projectRoot, override, mustExist);
        } catch (Throwable e) {
            opening.completeExceptionally(e);
            return;
        }
        try (Session session = warehouse.openSession()) {
            catalog = CatalogAtOpen.read(session);
        } catch (RuntimeException e) {
            LOG.debug("the catalog of {} could not be read right after it opened; the run reads it: {}", file, e.toString());
        }
        opening.complete(warehouse);
    }

    /** The catalog as it was right after the database opened, or {@code null}; read it only after {@link #join}. */
    public CatalogAtOpen catalog() {
        return catalog;
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
