package dev.soma.cli.console;

import java.util.Locale;

/**
 * One progress bar: {@code [########............]  42%  label}. Obtain from {@link Console#progress}.
 * On a terminal it redraws its line in place (throttled to ten redraws a second); otherwise
 * {@link #step} prints nothing and {@link #done} prints one plain line, so logs stay short.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final Console console;
    private final long total;
    private long done;
    private long lastDraw;
    private int lastLength;

    ProgressBar(Console console, long total) {
        this.console = console;
        this.total = Math.max(0, total);
    }

    /** Sets the units done so far and, on a terminal, redraws with {@code label} (e.g. the current step). */
    public void step(long doneSoFar, String label) {
        this.done = Math.min(total, Math.max(0, doneSoFar));
        if (!console.interactive()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        draw(label);
    }

    /**
     * Marks one finished piece of work: on a terminal the bar is cleared and {@code line} printed in its
     * place (the bar reappears on the next {@link #step}); otherwise {@code line} is printed as is.
     */
    public void done(String line) {
        if (console.interactive()) {
            clear();
        }
        console.line(line);
    }

    /** Clears the bar from the terminal; call when the work is over. */
    public void close() {
        if (console.interactive()) {
            clear();
        }
    }

    /** The fraction done, 0 to 1 (1 when there is nothing to do). */
    public double fraction() {
        return total == 0 ? 1 : (double) done / total;
    }

    private void draw(String label) {
        int filled = (int) Math.round(fraction() * WIDTH);
        String text = String.format(Locale.ROOT, "[%s%s] %3d%%  %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                Math.round(fraction() * 100), label);
        String padding = " ".repeat(Math.max(0, lastLength - text.length()));
        console.out().print("\r" + text + padding);
        console.out().flush();
        lastLength = text.length();
    }

    private void clear() {
        if (lastLength > 0) {
            console.out().print("\r" + " ".repeat(lastLength) + "\r");
            console.out().flush();
            lastLength = 0;
        }
    }
}
