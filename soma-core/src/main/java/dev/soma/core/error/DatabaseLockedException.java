package dev.soma.core.error;

import java.nio.file.Path;

/**
 * The database file is held by another process; DuckDB allows one writer process per file.
 */
public class DatabaseLockedException extends SomaException {

    private final Path file;
    private final String holder;

    /**
     * @param holder what DuckDB said holds the lock (program and PID), or {@code null} if unknown
     */
    public DatabaseLockedException(Path file, String holder, Throwable cause) {
        super(ErrorCode.DATABASE_LOCKED, message(file, holder), cause);
        this.file = file;
        this.holder = holder;
    }

    public Path file() {
        return file;
    }

    /** The program and PID holding the lock, as DuckDB reported it, or {@code null}. */
    public String holder() {
        return holder;
    }

    private static String message(Path file, String holder) {
        return "database " + file + " is in use by another process"
                + (holder == null ? "" : " (" + holder + ")")
                + "; close that process, or use another database file with --db";
    }
}
