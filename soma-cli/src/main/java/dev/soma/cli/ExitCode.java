package dev.soma.cli;

/** The exit codes of {@code soma}, documented in {@code soma --help}. */
public final class ExitCode {

    /** Everything asked for succeeded. */
    public static final int OK = 0;
    /** Models or error-severity tests failed. */
    public static final int FAILED = 1;
    /** A usage, project or environment error: nothing (or nothing more) was run. */
    public static final int USAGE = 2;
    /** A bug in Soma. */
    public static final int INTERNAL = 3;

    private ExitCode() {
    }
}
