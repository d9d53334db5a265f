package dev.soma.core.error;

import java.util.Objects;

/**
 * The root of every exception Soma throws on purpose. Unchecked: callers catch it where they can
 * act on it (the CLI turns it into one readable line and an exit code).
 *
 * <p>Subclasses carry fields; the message is for people, the fields are for code.
 */
public class SomaException extends RuntimeException {

    private final ErrorCode code;

    public SomaException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public SomaException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
