package dev.soma.cli.generate;

import dev.soma.cli.console.Console;
import dev.soma.cli.console.ProgressBar;
import dev.soma.generator.GenerationListener;
import dev.soma.generator.RawTable;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Shows generation as it happens: one bar over all rows on a terminal, the summary afterwards lists each table once. */
public final class GenerationProgress implements GenerationListener {
    private final Console console;
    private ProgressBar bar;
    private long finishedRows;

    public GenerationProgress(Console console) {
        this.console = console;
    }

    @Override
    public void started(Map<RawTable, Long> plannedRows) {
        bar = console.progress(plannedRows.values().stream().mapToLong(Long::longValue).sum());
    }

    @Override
    public void progressed(RawTable table, long rowsDone, long rowsTotal) {
        bar.step(finishedRows + rowsDone, String.format(Locale.ROOT, "%s %,d/%,d", table.qualifiedName(), rowsDone, rowsTotal));
    }

    @Override
    public void tableFinished(RawTable table, long rows, Duration took) {
        finishedRows += rows;
        // The summary after generation lists each table once, with its rows and time.
        bar.step(finishedRows, String.format(Locale.ROOT, "%s done", table.qualifiedName()));
    }

    /** Clears the bar; call when generation is over, however it ended. */
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
