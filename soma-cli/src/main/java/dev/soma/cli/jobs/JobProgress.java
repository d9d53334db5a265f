package dev.soma.cli.jobs;

import dev.soma.cli.console.Console;
import dev.soma.cli.console.ProgressBar;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobListener;
import dev.soma.jobs.JobState;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a worker's finished jobs onto a progress line: completed, failed for good, and failed to be
 * retried. Shared by {@code soma worker} and {@code soma enrich run}. Thread-safe; close it when the worker stops.
 */
public final class JobProgress implements JobListener, AutoCloseable {

    private final ProgressBar bar;
    private final String doneWord;
    private final long startNanos = System.nanoTime();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    /**
     * @param due      how many jobs are expected, for the bar
     * @param doneWord what a completed job is called in the summary ("completed", "enriched")
     */
    public JobProgress(Console console, long due, String doneWord) {
        this.bar = console.progress(due);
        this.doneWord = doneWord;
    }

    @Override
    public void completed(long id, String kind) {
        completed.incrementAndGet();
        step();
    }

    @Override
    public void failed(long id, String kind, JobError error, JobState newState) {
        (newState == JobState.FAILED ? failed : retried).incrementAndGet();
        step();
    }

    private void step() {
        bar.step(completed.get() + failed.get(), summary());
    }

    /** Jobs failed for good (dead-lettered) so far. */
    public long failed() {
        return failed.get();
    }

    /** Jobs that failed and wait for a retry so far. */
    public long retried() {
        return retried.get();
    }

    /** "1,200 completed, 3 failed, 5 to retry". */
    public String summary() {
        return String.format(Locale.ROOT, "%,d %s, %,d failed, %,d to retry", completed.get(), doneWord, failed.get(),
                retried.get());
    }

    /** The summary with the time since this progress began and the rate: "… in 2.1 s (950 books/s)". */
    public String finalLine(String unit) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%s in %.1f s (%,d %s/s)", summary(), seconds,
                Math.round((completed.get() + failed.get()) / Math.max(seconds, 1e-9)), unit);
    }

    @Override
    public void close() {
        bar.close();
    }
}
