package dev.soma.models.internal.run;

import dev.soma.models.api.RunListener;
import dev.soma.models.internal.window.WindowedBuild;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@code Soma} runs, fixed when it is built.
 *
 * @param threads     worker connections, at least 1
 * @param fullRefresh rebuild incremental models from scratch
 * @param failFast    start nothing new after the first failure
 * @param listener    hears the run
 * @param clock       the one clock for run and node timestamps and source freshness
 * @param vars        vars given over the project's, recorded in run results
 * @param foldTests   whether column checks on one view share one scan
 * @param windows     windows of windowed models to process again ({@code --windows FROM..TO}), or {@code null}
 * @param fullTest    test every row of incremental models, not only the rows this run added or changed
 * @param empty       dbt's {@code --empty}: every ref and source reads zero rows (seeds still load in full)
 * @param allowUnbuilt in {@code test}: skip a test whose models were never built, instead of an error
 */
public record RunOptions(int threads, boolean fullRefresh, boolean failFast, RunListener listener, Clock clock,
                         Map<String, Object> vars, boolean foldTests, WindowedBuild.Rerun windows, boolean fullTest,
                         boolean empty, boolean allowUnbuilt) {

    /** Options of a run that reads its inputs ({@code --empty} off) and fails tests of unbuilt models. */
    public RunOptions(int threads, boolean fullRefresh, boolean failFast, RunListener listener, Clock clock,
                      Map<String, Object> vars, boolean foldTests, WindowedBuild.Rerun windows, boolean fullTest) {
        this(threads, fullRefresh, failFast, listener, clock, vars, foldTests, windows, fullTest, false, false);
    }

    public RunOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        vars = Map.copyOf(vars);
    }
}
