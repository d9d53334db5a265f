package dev.soma.jobs;

import dev.soma.core.error.DatabaseUnavailableException;

/**
 * The queue's database cannot be reached (a PostgreSQL URL that does not connect, a bad URL): a
 * {@link DatabaseUnavailableException} whose place is a URL rather than a file.
 */
public class QueueUnavailableException extends DatabaseUnavailableException {

    private final String location;

    public QueueUnavailableException(String location, String message, Throwable cause) {
        super(null, message, cause);
        this.location = location;
    }

    /** The store's location as the user gave it, with any password removed. */
    public String location() {
        return location;
    }
}
