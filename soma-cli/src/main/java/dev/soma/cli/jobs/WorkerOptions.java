package dev.soma.cli.jobs;

import dev.soma.cli.ThreadsFlag;
import dev.soma.jobs.WorkerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --threads} and {@code --batch-size}: how a worker works the queue ({@code soma worker}, {@code soma enrich run}). */
public final class WorkerOptions {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Handler threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Jobs claimed at a time (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Handler threads. */
    public int threads() {
        return threads;
    }

    /** Jobs claimed at a time. */
    public int batchSize() {
        return batchSize;
    }

    /** The worker defaults with these options; an out-of-range {@code --threads} is a usage error. */
    public WorkerConfig config() {
        return WorkerConfig.defaults().withThreads(ThreadsFlag.check(command, threads)).withBatchSize(batchSize);
    }
}
