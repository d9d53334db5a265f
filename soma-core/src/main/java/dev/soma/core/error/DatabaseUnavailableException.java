package dev.soma.core.error;

import java.nio.file.Path;

/** The database cannot be opened for a reason other than a lock (see the message). */
public class DatabaseUnavailableException extends SomaException {

    private final Path file;

    public DatabaseUnavailableException(Path file, String message, Throwable cause) {
        super(ErrorCode.DATABASE_UNAVAILABLE, message, cause);
        this.file = file;
    }

    /** The file that could not be opened, or {@code null} for an in-memory database. */
    public Path file() {
        return file;
    }
}
