package dev.soma.cli.console;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where the CLI prints, and whether that is an interactive terminal. On a terminal, progress bars
 * redraw one line in place; otherwise every message is a plain line, fit for logs and pipes.
 *
 * <p>Not thread-safe: one command prints from one thread.
 */
public final class Console {

    private final PrintWriter out;
    private final boolean interactive;

    /**
     * @param out         where to print
     * @param interactive whether {@code out} is a terminal that understands carriage returns
     */
    public Console(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /**
     * A console on {@code out}, interactive when the JVM has a terminal ({@link System#console()}),
     * {@code TERM} is not {@code dumb} and {@code CI} is not set. Tests that capture output run
     * without a terminal and so get plain lines.
     */
    public static Console detect(PrintWriter out) {
        boolean terminal = System.console() != null
                && !"dumb".equals(System.getenv("TERM"))
                && System.getenv("CI") == null;
        return new Console(out, terminal);
    }

    /** Whether progress redraws in place. */
    public boolean interactive() {
        return interactive;
    }

    /** Prints one line. */
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints one formatted line ({@link Locale#ROOT}). */
    public void line(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }

    /**
     * A progress bar over {@code total} units (rows, models). On a terminal it redraws at most ten
     * times a second; elsewhere it prints nothing until {@link ProgressBar#done}.
     */
    public ProgressBar progress(long total) {
        return new ProgressBar(this, total);
    }

    PrintWriter out() {
        return out;
    }
}
