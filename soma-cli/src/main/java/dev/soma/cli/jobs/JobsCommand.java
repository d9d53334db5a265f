package dev.soma.cli.jobs;

import dev.soma.cli.ExitCode;
import dev.soma.cli.console.TextTable;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.jobs.EnqueueResult;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobPage;
import dev.soma.jobs.JobQuery;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.QueueStats;
import dev.soma.jobs.RetrySelection;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code soma jobs}: look at and manage the job queue. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"Look at and manage the durable job queue (DuckDB in soma_meta, or PostgreSQL with --queue-url).",
                "Run the jobs with 'soma worker'."},
        subcommands = {JobsCommand.Ls.class, JobsCommand.Show.class, JobsCommand.Enqueue.class, JobsCommand.RetryFailed.class,
                JobsCommand.Cancel.class, JobsCommand.Prune.class, JobsCommand.Stats.class})
public final class JobsCommand implements Callable<Integer> {

    /** Job listings cut their cells here. */
    private static final int MAX_CELL = 48;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK;
    }

    static String time(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * What every {@code soma jobs} subcommand shares: the queue options, opening the queue (without handlers),
     * printing to standard output and flushing it, the exit code.
     */
    abstract static class QueueCommand implements Callable<Integer> {
        @Mixin
        QueueOptions queue;
        @Spec
        CommandSpec spec;

        /** Checks the flags before anything is opened. */
        void validate() {
        }

        /** The queue to work on: without handlers, for looking and admin work. */
        JobQueue open() {
            return queue.adminQueue();
        }

        /** Does the work; returns the exit code. */
        abstract int run(JobQueue jobs, PrintWriter out);

        @Override
        public final Integer call() {
            validate();
            try (JobQueue jobs = open()) {
                PrintWriter out = spec.commandLine().getOut();
                int exit = run(jobs, out);
                out.flush();
                return exit;
            }
        }
    }

    /** {@code soma jobs ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
    static final class Ls extends QueueCommand {
        @Option(names = "--state", paramLabel = "STATE", converter = StateConverter.class,
                description = "Only jobs in this state: pending, processing, completed, failed, cancelled.")
        JobState state;
        @Option(names = "--kind", paramLabel = "KIND", description = "Only jobs of this kind.")
        String kind;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Jobs per page (default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--before", paramLabel = "ID", description = "Only ids below this one (the next page).")
        Long before;

        @Override
        void validate() {
            if (limit < 1 || limit > 10_000) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "--limit must be between 1 and 10000, got " + limit);
            }
        }

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            JobPage page = jobs.list(new JobQuery(state, kind, limit, before));
            TextTable table = TextTable.plain("id", "kind", "state", "attempt", "priority", "run_at", "unique_key", "errors")
                    .cutAt(MAX_CELL);
            for (Job job : page.jobs()) {
                table.row(job.id(), job.kind(), job.state().dbName(), job.attempt() + "/" + job.maxAttempts(), job.priority(),
                        time(job.runAt()), job.uniqueKey(), job.errorCount());
            }
            if (table.size() == 0) {
                out.println("no jobs" + (state == null && kind == null ? "" : " match") + " in " + jobs.store().describe());
            } else {
                table.print(out);
                out.println("(" + table.size() + " job" + (table.size() == 1 ? "" : "s")
                        + (page.nextBeforeId() == null ? "" : "; next page: --before " + page.nextBeforeId()) + ")");
            }
            return ExitCode.OK;
        }
    }

    /** {@code soma jobs show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job with its full error history.")
    static final class Show extends QueueCommand {
        @Parameters(paramLabel = "ID", description = "The job's id.")
        long id;

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            Job job = jobs.find(id).orElseThrow(() -> new SomaException(ErrorCode.UNKNOWN_NODE,
                    "no job " + id + " in " + jobs.store().describe() + "; list the jobs with 'soma jobs ls'"));
            out.println("job " + job.id() + " (" + job.kind() + ")");
            line(out, "state", job.state().dbName());
            line(out, "attempt", job.attempt() + " of " + job.maxAttempts());
            line(out, "priority", job.priority());
            line(out, "run_at", time(job.runAt()));
            line(out, "unique_key", job.uniqueKey());
            line(out, "owner", job.owner());
            line(out, "lease_expires_at", time(job.leaseExpiresAt()));
            line(out, "created_at", time(job.createdAt()));
            line(out, "started_at", time(job.startedAt()));
            line(out, "finished_at", time(job.finishedAt()));
            line(out, "payload", job.payload());
            if (job.errors().isEmpty()) {
                out.println("errors: none");
            } else {
                out.println("errors (" + job.errors().size() + "):");
                TextTable table = TextTable.plain("  attempt", "at", "exception", "message").cutAt(MAX_CELL);
                for (JobError error : job.errors()) {
                    table.row("  " + error.attempt(), time(error.at()),
                            error.exceptionClass() == null ? "" : simpleName(error.exceptionClass()), error.message());
                }
                table.print(out);
            }
            return ExitCode.OK;
        }

        private static void line(PrintWriter out, String name, Object value) {
            out.println(String.format(Locale.ROOT, "  %-17s %s", name + ":", value == null ? "" : value).stripTrailing());
        }

        private static String simpleName(String className) {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }

    /** {@code soma jobs enqueue KIND [PAYLOAD]}. */
    @Command(name = "enqueue", mixinStandardHelpOptions = true,
            description = "Add a job of a kind this build knows (see 'soma worker --help').")
    static final class Enqueue extends QueueCommand {
        @Parameters(index = "0", paramLabel = "KIND", description = "The job kind.")
        String kind;
        @Parameters(index = "1", paramLabel = "PAYLOAD", defaultValue = "{}", description = "A JSON document (default {}).")
        String payload;
        @Option(names = "--unique-key", paramLabel = "KEY", description = "Enqueue only if no live or completed job has this key.")
        String uniqueKey;
        @Option(names = "--priority", paramLabel = "N", defaultValue = "0", description = "Lower runs first (default 0).")
        int priority;
        @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "5", description = "Tries before it fails for good (default 5).")
        int maxAttempts;
        @Option(names = "--delay", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Run no sooner than this from now (e.g. 30s, 5m).")
        Duration delay;

        private NewJob job;

        @Override
        void validate() {
            job = NewJob.of(kind, payload).withPriority(priority).withMaxAttempts(maxAttempts).withUniqueKey(uniqueKey);
            if (delay != null) {
                job = job.withRunAt(Instant.now().plus(delay));
            }
        }

        @Override
        JobQueue open() {
            return queue.queue();
        }

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            EnqueueResult result = jobs.enqueue(job);
            out.println(result.created() ? "enqueued job " + result.id()
                    : "job " + result.id() + " already holds unique key " + uniqueKey + "; nothing enqueued");
            return ExitCode.OK;
        }
    }

    /** {@code soma jobs retry-failed}. */
    @Command(name = "retry-failed", mixinStandardHelpOptions = true,
            description = "Put failed jobs (all, of one kind, or by id) back to pending with their attempts reset.")
    static final class RetryFailed extends QueueCommand {
        @ArgGroup(exclusive = true)
        Which which;

        static final class Which {
            @Option(names = "--kind", paramLabel = "KIND", description = "Only failed jobs of this kind.")
            String kind;
            @Parameters(paramLabel = "ID", arity = "1..*", description = "Only these failed jobs.")
            List<Long> ids;
        }

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            RetrySelection selection = which == null ? RetrySelection.all()
                    : which.kind != null ? RetrySelection.kind(which.kind) : RetrySelection.ids(which.ids);
            int moved = jobs.retryFailed(selection);
            out.println(moved + " failed job" + (moved == 1 ? "" : "s") + " back to pending");
            return ExitCode.OK;
        }
    }

    /** {@code soma jobs cancel ID…}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel pending jobs. Exit 1 if any of them was not pending.")
    static final class Cancel extends QueueCommand {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "The jobs to cancel.")
        List<Long> ids;

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            List<Long> cancelled = jobs.cancel(ids);
            List<String> refused = new ArrayList<>();
            for (long id : ids) {
                if (!cancelled.contains(id)) {
                    refused.add(jobs.find(id).map(job -> id + " is " + job.state().dbName()).orElse(id + " does not exist"));
                }
            }
            out.println("cancelled " + cancelled.size() + " job" + (cancelled.size() == 1 ? "" : "s")
                    + (cancelled.isEmpty() ? "" : ": " + join(cancelled)));
            if (!refused.isEmpty()) {
                out.println("not cancelled (only pending jobs can be): " + String.join(", ", refused));
            }
            return refused.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        }

        private static String join(List<Long> ids) {
            return String.join(", ", ids.stream().map(String::valueOf).toList());
        }
    }

    /** {@code soma jobs prune}. */
    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Delete finished jobs (completed, failed, cancelled) and their errors, older than an age.")
    static final class Prune extends QueueCommand {
        @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
                description = "Finished longer ago than this (default ${DEFAULT-VALUE}; 0s prunes every finished job).")
        Duration olderThan;

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            int pruned = jobs.prune(olderThan);
            out.println("pruned " + pruned + " finished job" + (pruned == 1 ? "" : "s"));
            return ExitCode.OK;
        }
    }

    /** {@code soma jobs stats}. */
    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Count jobs by state and kind.")
    static final class Stats extends QueueCommand {

        @Override
        int run(JobQueue jobs, PrintWriter out) {
            QueueStats stats = jobs.stats();
            out.println("jobs in " + jobs.store().describe() + ": " + String.format(Locale.ROOT, "%,d", stats.total()));
            TextTable table = TextTable.plain(header()).cutAt(MAX_CELL);
            for (Map.Entry<String, Map<JobState, Long>> kind : stats.byKindAndState().entrySet()) {
                List<Object> row = new ArrayList<>(List.of(kind.getKey()));
                for (JobState state : JobState.values()) {
                    row.add(kind.getValue().getOrDefault(state, 0L));
                }
                table.row(row.toArray());
            }
            List<Object> total = new ArrayList<>(List.of("(all)"));
            for (JobState state : JobState.values()) {
                total.add(stats.count(state));
            }
            table.row(total.toArray());
            table.print(out);
            out.println("rescued after a lease expired: " + stats.rescued() + "; oldest due job waiting: "
                    + stats.oldestDue().truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT));
            return ExitCode.OK;
        }

        private static String[] header() {
            List<String> header = new ArrayList<>(List.of("kind"));
            for (JobState state : JobState.values()) {
                header.add(state.dbName());
            }
            return header.toArray(String[]::new);
        }
    }
}
