package dev.soma.models.internal.state;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where relations live, as the manifest records it: the DuckDB catalog of the database file (DuckDB names
 * the catalog of {@code prod.duckdb} {@code prod}: the file name up to its first dot) and the file itself.
 *
 * @param catalog the catalog name, {@code memory} for an in-memory database
 * @param file    the database file, absolute; {@code null} in memory
 */
public record DatabaseName(String catalog, Path file) {

    /** The database of {@code file} (empty: in memory). */
    public static DatabaseName of(Optional<Path> file) {
        if (file.isEmpty()) {
            return new DatabaseName("memory", null);
        }
        Path absolute = file.get().toAbsolutePath().normalize();
        String name = absolute.getFileName().toString();
        int dot = name.indexOf('.');
        return new DatabaseName(dot > 0 ? name.substring(0, dot) : name, absolute);
    }
}
