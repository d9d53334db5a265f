package dev.soma.models.internal.database;

import dev.soma.core.engine.Engine;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.internal.materialize.CatalogAtOpen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The warehouse a {@code Soma} works on: the one it was given (the caller keeps and closes it), or the
 * target's database, opened with the target's settings on first need and closed by {@link #close()}.
 * Thread-safe: the first caller opens it, every later one gets the same warehouse.
 */
public final class LazyWarehouse implements AutoCloseable {

    private final Target target;
    private final Path projectRoot;
    private final Path database;
    private final boolean mustExist;
    private final boolean owned;
    private Warehouse warehouse;
    /** The target's database being opened while the project loaded, or {@code null}; used (or closed) once. */
    private EarlyWarehouse early;
    /** What the early open read of the catalog, until anyone but its first user uses the warehouse. */
    private CatalogAtOpen catalogAtOpen;

    /**
     * @param given     the caller's warehouse, or {@code null} to open the target's database
     * @param database  the database file over the target's ({@code null}: the target's)
     * @param mustExist for read-only work: a missing database file is an error, none is created
     */
    public LazyWarehouse(Target target, Path projectRoot, Warehouse given, Path database, boolean mustExist) {
        this.target = target;
        this.projectRoot = projectRoot;
        this.warehouse = given;
        this.owned = given == null;
        this.database = database;
        this.mustExist = mustExist;
    }

    /**
     * As the other constructor, with the target's database already being opened ({@link EarlyWarehouse}): the first
     * {@link #get} takes it if it is the database this would open, else closes it and opens its own.
     */
    public LazyWarehouse(Target target, Path projectRoot, Path database, boolean mustExist, EarlyWarehouse early) {
        this(target, projectRoot, null, database, mustExist);
        this.early = early;
    }

    /** The warehouse, opened on this first call when none was given. */
    public synchronized Warehouse get() {
        catalogAtOpen = null; // true only for the first user, who takes it right after this call
        if (warehouse == null) {
            EarlyWarehouse opening = early;
            early = null;
            boolean taken = false;
            try {
                taken = opening != null && opening.opens(target.databaseFile(projectRoot, database));
            } finally {
                if (opening != null && !taken) {
                    opening.close();   // not this database, or naming it failed: never left open
                }
            }
            warehouse = taken ? opening.join() : target.open(projectRoot, database, mustExist);
            catalogAtOpen = taken ? opening.catalog() : null;
        }
        return warehouse;
    }

    /**
     * The catalog as it was right after the database opened early ({@link CatalogAtOpen}), for the first user of the
     * warehouse, who calls this right after its first {@link #get}: once, and never after another {@link #get}, since
     * whoever got the warehouse may have written to it. {@code null} otherwise: read it.
     */
    public synchronized CatalogAtOpen takeCatalogAtOpen() {
        CatalogAtOpen taken = catalogAtOpen;
        catalogAtOpen = null;
        return taken;
    }

    /**
     * The warehouse, or {@code null} when it is read-only and its database file does not exist yet
     * (nothing exists in it, so nothing needs opening).
     */
    public synchronized Warehouse getIfExists() {
        Optional<Path> file = file();
        return warehouse == null && mustExist && file.isPresent() && !Files.isRegularFile(file.get()) ? null : get();
    }

    /**
     * The engine the warehouse runs on, without opening it: the given warehouse's, else the target's.
     */
    public synchronized Engine engine() {
        return warehouse != null ? warehouse.engine() : target.engine();
    }

    /** The database file, without opening it; empty for an in-memory database. */
    public synchronized Optional<Path> file() {
        if (warehouse != null) {
            return warehouse.file();
        }
        return Optional.ofNullable(target.databaseFile(projectRoot, database));
    }

    /** Closes the warehouse if this opened it; a given one stays open. */
    @Override
    public synchronized void close() {
        if (early != null) {
            early.close();
            early = null;
        }
        if (owned && warehouse != null) {
            warehouse.close();
        }
    }
}
