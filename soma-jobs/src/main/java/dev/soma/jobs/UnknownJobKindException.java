package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.List;

/** A job names a kind that no handler is registered for. */
public class UnknownJobKindException extends SomaException {

    private final String kind;
    private final List<String> knownKinds;

    public UnknownJobKindException(String kind, List<String> knownKinds) {
        super(ErrorCode.UNKNOWN_NODE, "unknown job kind '" + kind + "'; the known kinds are: "
                + (knownKinds.isEmpty() ? "(none registered)" : String.join(", ", knownKinds))
                + ". Register a handler for it or fix the name");
        this.kind = kind;
        this.knownKinds = List.copyOf(knownKinds);
    }

    public String kind() {
        return kind;
    }

    /** The kinds that have handlers, sorted. */
    public List<String> knownKinds() {
        return knownKinds;
    }
}
