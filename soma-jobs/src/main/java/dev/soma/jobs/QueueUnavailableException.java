package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/** The queue's database cannot be reached (a PostgreSQL URL that does not connect, a bad URL). */
public class QueueUnavailableException extends SomaException {

    private final String location;

    public QueueUnavailableException(String location, String message, Throwable cause) {
        super(ErrorCode.DATABASE_UNAVAILABLE, message, cause);
        this.location = location;
    }

    /** The store's location as the user gave it, with any password removed. */
    public String location() {
        return location;
    }
}
