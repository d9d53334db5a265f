package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * A project file is missing, malformed or contradicts itself. The message starts with the file and
 * line ({@code staging/_staging.yml:12:5: …}) and ends with the fix.
 */
public class ProjectException extends SomaException {

    private final SourceLocation location;

    public ProjectException(SourceLocation location, String problem) {
        this(ErrorCode.PROJECT_INVALID, location, problem, null);
    }

    public ProjectException(SourceLocation location, String problem, Throwable cause) {
        this(ErrorCode.PROJECT_INVALID, location, problem, cause);
    }

    protected ProjectException(ErrorCode code, SourceLocation location, String problem, Throwable cause) {
        super(code, location == null ? problem : location + ": " + problem, cause);
        this.location = location;
    }

    /** Where the problem is, or {@code null} when it concerns the project as a whole. */
    public SourceLocation location() {
        return location;
    }
}
