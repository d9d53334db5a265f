package dev.soma.cli.jobs;

import dev.soma.cli.ExitCode;
import dev.soma.cli.console.Console;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code soma worker}: runs the jobs this build knows until the queue is drained (or, with --keep-running, until stopped). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run queued jobs of the kinds this build knows (noop, sleep, enrich_book) until none is due, with a progress line.",
                "With --keep-running it waits for new jobs until stopped (Ctrl-C finishes or releases the running jobs)."})
public final class WorkerCommand implements Callable<Integer> {

    @Mixin
    QueueOptions queue;

    @Spec
    CommandSpec spec;

    @Mixin
    WorkerOptions options;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long a claim holds without a heartbeat (default ${DEFAULT-VALUE}; heartbeats every third of it).")
    Duration lease;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often an idle worker looks for jobs (default ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--keep-running", description = "Wait for new jobs instead of stopping when the queue is drained.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        WorkerConfig config = options.config().withLease(lease).withPollInterval(poll);
        Console console = Console.detect(spec.commandLine().getOut());
        QueueAndWarehouse opened = queue.openWithWarehouse();
        JobStore store = opened.store();
        long due;
        try {
            due = store.stats(Instant.now()).count(JobState.PENDING);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        JobProgress progress = new JobProgress(console, due, "completed");
        try (opened; JobQueue jobs = KnownJobs.register(JobQueue.builder().store(store).listener(progress), opened.warehouse()).build()) {
            console.line("worker on %s: kinds %s, %d threads, batches of %d", store.describe(),
                    String.join(", ", jobs.kinds()), options.threads(), options.batchSize());
            if (opened.warehouse() == null) {
                console.line("no warehouse: enrich_book jobs will fail; pass --db PATH, the DuckDB file the books go to");
            }
            Worker worker = jobs.worker(config);
            Thread stopper = new Thread(worker::close, "soma-worker-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                if (keepRunning) {
                    worker.start();
                    while (worker.running()) {
                        worker.await(Duration.ofSeconds(1));
                    }
                } else {
                    worker.runUntilDrained();
                }
            } finally {
                worker.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already
                }
                progress.close();
            }
        }
        console.line("%s", progress.finalLine("jobs"));
        return progress.failed() > 0 ? ExitCode.FAILED : ExitCode.OK;
    }
}
