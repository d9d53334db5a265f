package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The job queue: enqueue jobs, run them with {@link Worker}s, look at them, retry, cancel and prune.
 *
 * <pre>{@code
 * try (Warehouse warehouse = Warehouse.open(Path.of("soma.duckdb"));
 *      JobQueue queue = JobQueue.builder()
 *              .store(JobStores.duckdb(warehouse))
 *              .handler("enrich", job -> enrich(job.payload()))
 *              .build()) {
 *     queue.enqueue(NewJob.of("enrich", "{\"isbn\": \"9780141439518\"}").withUniqueKey("isbn:9780141439518"));
 *     try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(4))) {
 *         worker.runUntilDrained();
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing the queue stops its workers and closes its store.
 */
public final class JobQueue implements AutoCloseable {

    private final JobStore store;
    private final Map<String, Registered> handlers;
    private final Clock clock;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final JobListener listener;
    private final List<Worker> workers = new ArrayList<>();

    private JobQueue(Builder builder) {
        this.store = Objects.requireNonNull(builder.store, "a job queue needs a store: JobStores.duckdb(warehouse) or JobStores.postgres(url)");
        this.handlers = Map.copyOf(builder.handlers);
        this.clock = builder.clock;
        this.backoff = builder.backoff;
        this.random = builder.random;
        this.listener = builder.listener;
    }

    /** A builder: a store is required; handlers, clock, backoff and listener are optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Enqueues one job.
     *
     * @throws UnknownJobKindException when handlers are registered and none is for the job's kind
     */
    public EnqueueResult enqueue(NewJob job) {
        return enqueueAll(List.of(job)).get(0);
    }

    /** Enqueues jobs in one transaction, in order. */
    public List<EnqueueResult> enqueueAll(List<NewJob> jobs) {
        if (!handlers.isEmpty()) {
            for (NewJob job : jobs) {
                if (!handlers.containsKey(job.kind())) {
                    throw new UnknownJobKindException(job.kind(), List.copyOf(kinds()));
                }
            }
        }
        return store.enqueue(jobs, clock.instant());
    }

    /** A new worker running this queue's handlers, not yet started. */
    public Worker worker(WorkerConfig config) {
        if (handlers.isEmpty()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    "a worker needs at least one handler; register one with JobQueue.builder().handler(kind, handler)");
        }
        Worker worker = new Worker(this, config);
        synchronized (workers) {
            workers.add(worker);
        }
        return worker;
    }

    /** One job with its full error history. */
    public Optional<Job> find(long id) {
        return store.find(id);
    }

    /** One page of jobs, newest first. */
    public JobPage list(JobQuery query) {
        return store.list(query);
    }

    /** Counts per state and kind. */
    public QueueStats stats() {
        return store.stats(clock.instant());
    }

    /** Puts failed jobs back to pending with attempts reset; returns how many. */
    public int retryFailed(RetrySelection selection) {
        return store.retryFailed(selection, clock.instant());
    }

    /** Cancels the pending jobs among {@code ids}; returns the ids cancelled (others were not pending). */
    public List<Long> cancel(Collection<Long> ids) {
        return store.cancel(ids, clock.instant());
    }

    /** Deletes finished jobs (completed, failed, cancelled) that finished more than {@code olderThan} ago. */
    public int prune(Duration olderThan) {
        if (olderThan.isNegative()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "prune age must not be negative, got " + olderThan);
        }
        return store.prune(clock.instant().minus(olderThan));
    }

    /** Rescues jobs whose lease expired (workers do this on their own every heartbeat interval). */
    public List<Long> rescueExpired() {
        return store.rescueExpired(clock.instant());
    }

    /** The kinds with handlers, sorted. */
    public Set<String> kinds() {
        return new TreeMap<>(handlers).keySet();
    }

    public JobStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    Backoff backoff() {
        return backoff;
    }

    RandomGenerator random() {
        return random;
    }

    JobListener listener() {
        return listener;
    }

    Map<String, Registered> handlers() {
        return handlers;
    }

    /** Stops every worker made by this queue (gracefully), then closes the store. */
    @Override
    public void close() {
        List<Worker> running;
        synchronized (workers) {
            running = List.copyOf(workers);
        }
        for (Worker worker : running) {
            worker.close();
        }
        store.close();
    }

    /** A handler as registered, one kind of handler per permitted record; the {@link Worker} dispatches on it. */
    sealed interface Registered {

        /** A {@link JobHandler}: runs, then its job is completed in the next batched completion. */
        record Plain(JobHandler handler) implements Registered {
            public Plain {
                Objects.requireNonNull(handler, "handler");
            }
        }

        /** A {@link TransactionalJobHandler}: its effect commits with its job's completion. */
        record Transactional(TransactionalJobHandler handler) implements Registered {
            public Transactional {
                Objects.requireNonNull(handler, "handler");
            }
        }

        /** A {@link BatchJobHandler}: prepared per job, written per batch with the batch's completion. */
        record Batch(BatchJobHandler<?> handler) implements Registered {
            public Batch {
                Objects.requireNonNull(handler, "handler");
            }
        }
    }

    /** Collects the queue's parts. Not thread-safe. */
    public static final class Builder {
        private JobStore store;
        private final Map<String, Registered> handlers = new TreeMap<>();
        private Clock clock = Clock.systemUTC();
        private Backoff backoff = Backoff.exponential();
        private RandomGenerator random = RandomGenerator.getDefault();
        private JobListener listener = JobListener.NONE;

        private Builder() {
        }

        /** The store, closed with the queue. */
        public Builder store(JobStore store) {
            this.store = store;
            return this;
        }

        /** Runs jobs of {@code kind}. */
        public Builder handler(String kind, JobHandler handler) {
            return register(kind, new Registered.Plain(handler));
        }

        /** Runs jobs of {@code kind} whose effect commits with the job's completion. */
        public Builder transactionalHandler(String kind, TransactionalJobHandler handler) {
            return register(kind, new Registered.Transactional(handler));
        }

        /**
         * Runs jobs of {@code kind} in two phases: {@link BatchJobHandler#prepare} per job on the handler threads,
         * then {@link BatchJobHandler#write} for a batch in the one transaction that completes it.
         */
        public Builder batchHandler(String kind, BatchJobHandler<?> handler) {
            return register(kind, new Registered.Batch(handler));
        }

        private Builder register(String kind, Registered registered) {
            if (kind == null || kind.isBlank()) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "a handler's kind must not be blank");
            }
            if (handlers.putIfAbsent(kind, registered) != null) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, "two handlers for job kind '" + kind + "'; register one");
            }
            return this;
        }

        /** Where time comes from (run_at, leases, backoff); default the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The retry delay; default {@link Backoff#exponential()}. */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The source of backoff jitter; default {@link RandomGenerator#getDefault()}. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Hears job events from every worker of the queue. */
        public Builder listener(JobListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public JobQueue build() {
            return new JobQueue(this);
        }
    }
}
