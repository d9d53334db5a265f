package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;

/**
 * A {@code ref}, {@code source} or model name points at nothing. Names the file and line of the
 * reference and suggests the closest existing name.
 */
public class UnknownNodeException extends ProjectException {

    private final String name;
    private final String suggestion;

    public UnknownNodeException(SourceLocation location, String problem, String name, String suggestion) {
        super(ErrorCode.UNKNOWN_NODE, location, problem, null);
        this.name = name;
        this.suggestion = suggestion;
    }

    /** The name that matched nothing. */
    public String name() {
        return name;
    }

    /** The closest existing name, or {@code null}. */
    public String suggestion() {
        return suggestion;
    }
}
