package dev.soma.ingest;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.ingest.spec.DeclaredAt;

/**
 * A source that cannot be loaded as declared: an unknown key in its {@code ingest:} block, a
 * missing file, an API that keeps failing. The message names the file and line of the declaration,
 * the source, and the fix.
 */
public class IngestException extends SomaException {

    private final String source;
    private final DeclaredAt location;

    public IngestException(ErrorCode code, DeclaredAt location, String source, String message, Throwable cause) {
        super(code, prefix(location) + (source == null ? "" : "source " + source + ": ") + message, cause);
        this.source = source;
        this.location = location;
    }

    public IngestException(ErrorCode code, DeclaredAt location, String source, String message) {
        this(code, location, source, message, null);
    }

    private static String prefix(DeclaredAt location) {
        return location == null || location == DeclaredAt.UNKNOWN ? "" : location + ": ";
    }

    /** The source concerned, {@code source.table}, or null when the problem is not about one. */
    public String source() {
        return source;
    }

    /** Where the problem is declared, or {@link DeclaredAt#UNKNOWN}. */
    public DeclaredAt location() {
        return location == null ? DeclaredAt.UNKNOWN : location;
    }
}
