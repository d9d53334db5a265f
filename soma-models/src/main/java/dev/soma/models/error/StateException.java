package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.nio.file.Path;

/**
 * The state an option needs ({@code --state DIR}, {@code state:} selectors, {@code --defer}, {@code soma retry})
 * is missing or unreadable: names the place looked at and what is wrong; the message ends with the fix.
 */
public class StateException extends SomaException {

    private final Path location;
    private final String problem;

    public StateException(Path location, String problem) {
        super(ErrorCode.INVALID_CONFIG, location == null ? problem : problem + " (" + location + ")");
        this.location = location;
        this.problem = problem;
    }

    /** The directory or file looked at, or {@code null} when none was given. */
    public Path location() {
        return location;
    }

    /** What is wrong, and the fix. */
    public String problem() {
        return problem;
    }
}
