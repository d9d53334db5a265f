package dev.soma.core.error;

/**
 * A stable, machine-readable classification of every {@link SomaException}.
 *
 * <p>The {@link Kind} tells a front end how to react: the CLI maps {@link Kind#USER} and
 * {@link Kind#ENVIRONMENT} to exit code 2 and prints one line; {@link Kind#INTERNAL} is a bug in Soma.
 */
public enum ErrorCode {
    /** A statement DuckDB rejected or failed to run. */
    SQL_ERROR(Kind.USER),
    /** The database file is held by another process. */
    DATABASE_LOCKED(Kind.ENVIRONMENT),
    /** The database file cannot be opened (not a DuckDB file, unreadable, newer storage format). */
    DATABASE_UNAVAILABLE(Kind.ENVIRONMENT),
    /** A project file is missing, malformed or contradicts itself. */
    PROJECT_INVALID(Kind.USER),
    /** A template failed to parse or render. */
    TEMPLATE_ERROR(Kind.USER),
    /** The model graph has a cycle. */
    CYCLE(Kind.USER),
    /** A {@code ref}, {@code source} or selection names something that does not exist. */
    UNKNOWN_NODE(Kind.USER),
    /** A configuration value (flag, option, config key) is out of range or malformed. */
    INVALID_CONFIG(Kind.USER),
    /** A source of data (a file server, an HTTP API) failed or answered with something unreadable. */
    SOURCE_UNAVAILABLE(Kind.ENVIRONMENT),
    /** A file Soma must write or read (an artifact, a compiled SQL file) is not accessible. */
    FILE_ACCESS(Kind.ENVIRONMENT),
    /** Data that would be overwritten without being asked to. */
    WOULD_OVERWRITE(Kind.USER),
    /** A bug in Soma: the message says so and asks for a report. */
    INTERNAL(Kind.INTERNAL);

    /** Who has to act on an error of this code. */
    public enum Kind { USER, ENVIRONMENT, INTERNAL }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
