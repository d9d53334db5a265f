package dev.soma.jobs;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.jobs.internal.Owners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs jobs: one dispatcher thread claims batches ({@code batch_size}) and feeds a pool of handler threads,
 * completes finished jobs in batches (a {@link BatchJobHandler}'s writes with them, one transaction per batch),
 * renews leases (heartbeat), rescues expired leases, and gives up on handlers past the job timeout. On DuckDB this is the only way to run many handlers at once (one writer
 * process, no {@code SKIP LOCKED}); on PostgreSQL several workers in several processes share the queue.
 *
 * <pre>{@code
 * try (Worker worker = queue.worker(WorkerConfig.defaults())) {
 *     worker.runUntilDrained();          // or worker.start() ... worker.close()
 * }
 * }</pre>
 *
 * <p>{@link #close()} is the graceful shutdown: no more claims, running handlers get
 * {@link WorkerConfig#shutdownGrace()} to finish, then their jobs are released back to pending without
 * spending an attempt. Thread-safe.
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** Database errors in a row after which a worker gives up and stops. */
    private static final int MAX_CONSECUTIVE_FAILURES = 10;
    /** How often a worker prunes finished jobs past the retention. */
    private static final long PRUNE_EVERY_NANOS = 60_000_000_000L;
    /** The longest a finished job waits for its batched completion. */
    private static final long FLUSH_AFTER_NANOS = 20_000_000L;

    private final JobQueue queue;
    private final JobStore store;
    private final WorkerConfig config;
    private final String owner;
    private final Set<String> kinds;
    private final int capacity;
    private final ExecutorService pool;
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final Map<Long, Running> inflight = new LinkedHashMap<>();
    /** Jobs whose handler succeeded, waiting for the next batched completion. */
    private final Map<Long, Running> toComplete = new LinkedHashMap<>();
    /** Jobs of batch handlers, prepared, waiting for the next batched write and completion. */
    private final Map<Long, Running> toWrite = new LinkedHashMap<>();
    private long firstBufferedNanos;
    private final Thread dispatcher;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong fencedOut = new AtomicLong();
    private long nextHeartbeat;
    private long nextRescue;
    private long nextPrune;
    private volatile boolean stopping;
    private volatile boolean drainMode;
    private volatile boolean started;
    private volatile Throwable crash;

    Worker(JobQueue queue, WorkerConfig config) {
        this.queue = queue;
        this.store = queue.store();
        this.config = config;
        this.owner = config.owner() == null ? Owners.newOwner() : Owners.processPrefix() + config.owner();
        this.kinds = queue.kinds();
        // room for the batch being run and the next one, so a claim overlaps the handlers' work
        this.capacity = 2 * config.batchSize() + config.threads();
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "soma-jobs-handler-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.pool = Executors.newFixedThreadPool(config.threads(), factory);
        this.dispatcher = new Thread(this::dispatch, "soma-jobs-dispatcher");
        this.dispatcher.setDaemon(true);
    }

    /** The name this worker's leases are held under ({@code host:pid:…}). */
    public String owner() {
        return owner;
    }

    /** Starts the dispatcher; returns at once. Idempotent. */
    public synchronized Worker start() {
        if (!started) {
            started = true;
            dispatcher.start();
        }
        return this;
    }

    /**
     * Runs until no job of this worker's kinds is due and none is running, then stops. Starts the worker
     * if needed. Jobs waiting for a backoff are not due and do not hold it up.
     *
     * @return this worker's counts
     */
    public Counts runUntilDrained() throws InterruptedException {
        drainMode = true;
        start();
        dispatcher.join();
        rethrowCrash();
        return counts();
    }

    /** Waits up to {@code timeout} for the worker to stop; whether it has. */
    public boolean await(Duration timeout) throws InterruptedException {
        dispatcher.join(Math.max(1, timeout.toMillis()));
        return !dispatcher.isAlive();
    }

    /** Whether the dispatcher is running. */
    public boolean running() {
        return dispatcher.isAlive();
    }

    /** Jobs completed, dead-lettered, scheduled for retry, and writes refused by fencing, so far. */
    public Counts counts() {
        return new Counts(completed.get(), failed.get(), retried.get(), fencedOut.get());
    }

    /** The graceful shutdown (see the class comment); waits for it. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        store.wake();
        if (started) {
            try {
                dispatcher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.shutdownNow();
    }

    /**
     * Counts of what a worker did.
     *
     * @param completed jobs completed
     * @param failed    jobs dead-lettered (moved to {@code failed})
     * @param retried   failures scheduled for another attempt
     * @param fencedOut writes refused because the lease had moved on
     */
    public record Counts(long completed, long failed, long retried, long fencedOut) {
    }

    // ------------------------------------------------------------------ the dispatcher

    private void dispatch() {
        try {
            nextHeartbeat = System.nanoTime() + config.heartbeatInterval().toNanos();
            nextRescue = System.nanoTime();
            nextPrune = System.nanoTime();
            int failures = 0;
            while (!stopping) {
                try {
                    if (!step()) {
                        break;
                    }
                    failures = 0;
                } catch (SomaException e) {
                    // the database went away for a moment (a dropped connection, a restart): keep going, slower
                    if (++failures > MAX_CONSECUTIVE_FAILURES) {
                        throw e;
                    }
                    LOG.warn("job worker {}: {}; trying again ({} of {})", owner, e.getMessage(), failures,
                            MAX_CONSECUTIVE_FAILURES);
                    Thread.sleep(Math.min(30_000, config.pollInterval().toMillis() * failures));
                }
            }
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownQuietly();
        } catch (Throwable e) {
            crash = e;
            LOG.error("job worker {} stopped on an error: {}", owner, e.getMessage(), e);
            shutdownQuietly();
        }
    }

    /** One round of the dispatcher; {@code false} when drained in drain mode. */
    private boolean step() throws InterruptedException {
        handleOutcomes(outcomes.poll());
        long now = System.nanoTime();
        if (now >= nextRescue) {
            rescue();
            nextRescue = now + config.heartbeatInterval().toNanos();
        }
        if (config.retention() != null && now >= nextPrune) {
            prune();
            nextPrune = now + PRUNE_EVERY_NANOS;
        }
        if (now >= nextHeartbeat) {
            heartbeatAndTimeouts();
            nextHeartbeat = now + config.heartbeatInterval().toNanos();
        }
        int free = capacity - inflight.size();
        List<Job> claimed = List.of();
        if (free >= config.batchSize() || inflight.isEmpty()) {
            claimed = store.claim(owner, Math.min(config.batchSize(), free), kinds, queue.clock().instant(),
                    config.lease());
            submit(claimed);
        }
        if (!claimed.isEmpty()) {
            return true;
        }
        if (inflight.isEmpty()) {
            if (drainMode && outcomes.isEmpty()) {
                return false;
            }
            store.awaitJobs(min(config.pollInterval(), config.heartbeatInterval()));
        } else {
            long waitNanos = Math.min(config.pollInterval().toNanos(), Math.max(0, nextHeartbeat - System.nanoTime()));
            if (!toComplete.isEmpty() || !toWrite.isEmpty()) {
                waitNanos = Math.min(waitNanos, Math.max(0, firstBufferedNanos + FLUSH_AFTER_NANOS - System.nanoTime()));
            }
            Outcome next = outcomes.poll(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
            handleOutcomes(next);
        }
        return true;
    }

    private void submit(List<Job> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        notify(l -> l.claimed(claimed));
        for (Job job : claimed) {
            Running running = new Running(job);
            inflight.put(job.id(), running);
            running.future = pool.submit(() -> execute(running));
        }
    }

    /** Runs on a handler thread. */
    private void execute(Running running) {
        running.startedNanos = System.nanoTime();
        Job job = running.job;
        JobQueue.Registered registered = queue.handlers().get(job.kind());
        try {
            // Java 17 has no pattern matching in switch: one instanceof per permitted kind of the sealed type
            if (registered instanceof JobQueue.Registered.Batch batch) {
                running.prepared = batch.handler().prepare(running);
                outcomes.add(new Outcome(running, Outcome.Kind.PREPARED, null));
            } else if (registered instanceof JobQueue.Registered.Transactional transactional) {
                runInTransaction(running, transactional.handler());
            } else if (registered instanceof JobQueue.Registered.Plain plain) {
                plain.handler().handle(running);
                outcomes.add(new Outcome(running, Outcome.Kind.SUCCEEDED, null));
            }
        } catch (Throwable e) {
            outcomes.add(new Outcome(running, Outcome.Kind.THREW, e));
        }
    }

    /** Runs a transactional handler: its effect and its job's completion commit together, or not at all. */
    private void runInTransaction(Running running, TransactionalJobHandler handler) throws Exception {
        Job job = running.job;
        if (store.hasSession()) {
            // DuckDB: a heartbeat committed on this job's row while its transaction is open makes the
            // transaction's own completion conflict ("Conflict on update"), so the lease is renewed once
            // now, in full, and the heartbeat leaves the row alone until the transaction ends.
            if (store.heartbeat(List.of(job.lease()), queue.clock().instant(), config.lease()) == 0) {
                outcomes.add(new Outcome(running, Outcome.Kind.FENCED, null));
                return;
            }
            running.inTransaction = true;
        }
        boolean committed;
        try {
            committed = store.completeWith(job.lease(), queue.clock().instant(), tx -> handler.handle(running, tx));
        } finally {
            running.inTransaction = false;
        }
        outcomes.add(new Outcome(running, committed ? Outcome.Kind.COMMITTED : Outcome.Kind.FENCED, null));
    }

    /**
     * Handles {@code first} (if any) and every outcome already waiting. Successes are buffered and completed in
     * one statement when a batch's worth has gathered, when nothing else is running, or after
     * {@value #FLUSH_AFTER_NANOS} ns: few round trips, bounded latency.
     */
    private void handleOutcomes(Outcome first) {
        if (first != null || !outcomes.isEmpty()) {
            List<Outcome> batch = new ArrayList<>();
            if (first != null) {
                batch.add(first);
            }
            outcomes.drainTo(batch);
            List<Running> superseded = new ArrayList<>();
            List<Running> supersededPrepared = new ArrayList<>();
            for (Outcome outcome : batch) {
                Running running = outcome.running;
                boolean current = inflight.get(running.job.id()) == running;
                if (!current && running.abandoned) {
                    continue; // timed out or released by this worker: its fate is decided and recorded
                }
                // not current and not abandoned: the job's lease expired and it was rescued (and maybe taken
                // again) while this handler ran; its write below is refused by the fence and reported
                switch (outcome.kind) {
                    case SUCCEEDED -> {
                        if (!current) {
                            superseded.add(running);
                            continue;
                        }
                        running.finished = true;
                        if (toComplete.isEmpty() && toWrite.isEmpty()) {
                            firstBufferedNanos = System.nanoTime();
                        }
                        toComplete.put(running.job.id(), running);
                    }
                    case PREPARED -> {
                        if (!current) {
                            supersededPrepared.add(running);
                            continue;
                        }
                        running.finished = true;
                        if (toComplete.isEmpty() && toWrite.isEmpty()) {
                            firstBufferedNanos = System.nanoTime();
                        }
                        toWrite.put(running.job.id(), running);
                    }
                    case COMMITTED -> {
                        if (current) {
                            inflight.remove(running.job.id());
                        }
                        completed.incrementAndGet();
                        notify(l -> l.completed(running.job.id(), running.job.kind()));
                    }
                    case FENCED -> {
                        if (current) {
                            inflight.remove(running.job.id());
                        }
                        fenced(running.job.lease());
                    }
                    case THREW -> {
                        if (current) {
                            inflight.remove(running.job.id());
                        }
                        recordFailure(running, outcome.error);
                    }
                }
            }
            if (!superseded.isEmpty()) {
                Set<Long> done = Set.copyOf(store.complete(superseded.stream().map(r -> r.job.lease()).toList(),
                        queue.clock().instant()));
                for (Running running : superseded) {
                    if (done.contains(running.job.id())) {
                        completed.incrementAndGet();
                        notify(l -> l.completed(running.job.id(), running.job.kind()));
                    } else {
                        fenced(running.job.lease());
                    }
                }
            }
            if (!supersededPrepared.isEmpty()) {
                // their leases moved on: the fence leaves them out, so nothing of theirs is written
                writeBatch(supersededPrepared, false);
            }
        }
        int buffered = toComplete.size() + toWrite.size();
        if (buffered > 0 && (buffered >= config.batchSize() || buffered == inflight.size()
                || stopping || System.nanoTime() - firstBufferedNanos >= FLUSH_AFTER_NANOS)) {
            flushCompletions();
            flushWrites();
        }
    }

    /** Writes and completes the prepared jobs of batch handlers: one transaction per kind. */
    private void flushWrites() {
        if (toWrite.isEmpty()) {
            return;
        }
        Map<String, List<Running>> byKind = new LinkedHashMap<>();
        for (Running running : toWrite.values()) {
            byKind.computeIfAbsent(running.job.kind(), k -> new ArrayList<>()).add(running);
        }
        for (List<Running> group : byKind.values()) {
            writeBatch(group, true);
        }
    }

    /**
     * Writes {@code group} (jobs of one kind) and completes it in one transaction. When that fails, each job is
     * written in a transaction of its own, so that one bad job fails alone. Each job leaves {@link #toWrite} (and,
     * when {@code current}, {@link #inflight}) once its fate is recorded.
     */
    private void writeBatch(List<Running> group, boolean current) {
        Exception error;
        try {
            Set<Long> done = Set.copyOf(write(group));
            for (Running running : group) {
                settle(running, current, done.contains(running.job.id()), null);
            }
            return;
        } catch (SomaException e) {
            if (isUnavailable(e)) {
                throw e; // the database is away: the jobs stay buffered and the dispatcher tries again
            }
            error = e;
        } catch (Exception e) {
            error = e;
        }
        if (group.size() == 1) {
            settle(group.get(0), current, false, error);
            return;
        }
        LOG.debug("writing a batch of {} {} job(s) failed ({}); writing them one by one", group.size(),
                group.get(0).job.kind(), error.getMessage());
        for (Running running : group) {
            try {
                settle(running, current, !write(List.of(running)).isEmpty(), null);
            } catch (SomaException e) {
                if (isUnavailable(e)) {
                    throw e;
                }
                settle(running, current, false, e);
            } catch (Exception e) {
                settle(running, current, false, e);
            }
        }
    }

    private List<Long> write(List<Running> group) throws Exception {
        @SuppressWarnings("unchecked")
        BatchJobHandler<Object> handler = (BatchJobHandler<Object>)
                ((JobQueue.Registered.Batch) queue.handlers().get(group.get(0).job.kind())).handler();
        Map<Long, Running> byId = new LinkedHashMap<>();
        List<Lease> leases = new ArrayList<>(group.size());
        for (Running running : group) {
            byId.put(running.job.id(), running);
            leases.add(running.job.lease());
        }
        return store.completeWith(leases, queue.clock().instant(), (held, tx) -> {
            List<BatchJobHandler.Prepared<Object>> prepared = new ArrayList<>(held.size());
            for (Long id : held) {
                Running running = byId.get(id);
                prepared.add(new BatchJobHandler.Prepared<>(running, running.prepared));
            }
            handler.write(prepared, tx);
        });
    }

    /** Records a batch job's fate: completed, fenced out, or failed with {@code error}. */
    private void settle(Running running, boolean current, boolean completedNow, Exception error) {
        if (current) {
            toWrite.remove(running.job.id());
            inflight.remove(running.job.id());
        }
        running.prepared = null;
        if (error != null) {
            recordFailure(running, error);
        } else if (completedNow) {
            completed.incrementAndGet();
            notify(l -> l.completed(running.job.id(), running.job.kind()));
        } else {
            fenced(running.job.lease());
        }
    }

    private static boolean isUnavailable(SomaException e) {
        return e.code() == ErrorCode.DATABASE_UNAVAILABLE;
    }

    private void flushCompletions() {
        if (toComplete.isEmpty()) {
            return;
        }
        List<Lease> leases = new ArrayList<>(toComplete.size());
        for (Running running : toComplete.values()) {
            leases.add(running.job.lease());
        }
        Set<Long> done = Set.copyOf(store.complete(leases, queue.clock().instant()));
        for (Running running : toComplete.values()) {
            inflight.remove(running.job.id());
            if (done.contains(running.job.id())) {
                completed.incrementAndGet();
                notify(l -> l.completed(running.job.id(), running.job.kind()));
            } else {
                fenced(running.job.lease());
            }
        }
        toComplete.clear();
    }

    private void recordFailure(Running running, Throwable error) {
        Instant now = queue.clock().instant();
        Job job = running.job;
        JobError jobError = JobError.of(job.attempt(), error, now);
        Instant retryAt = now.plus(queue.backoff().delay(job.attempt(), queue.random()));
        var state = store.fail(job.lease(), jobError, retryAt);
        if (state.isEmpty()) {
            fenced(job.lease());
            notify(l -> l.failed(job.id(), job.kind(), jobError, null));
            return;
        }
        if (state.get() == JobState.FAILED) {
            failed.incrementAndGet();
        } else {
            retried.incrementAndGet();
        }
        LOG.debug("job {} ({}) attempt {} failed: {}", job.id(), job.kind(), job.attempt(), jobError.message());
        notify(l -> l.failed(job.id(), job.kind(), jobError, state.get()));
    }

    private void fenced(Lease lease) {
        fencedOut.incrementAndGet();
        LOG.warn("job {} attempt {}: the lease of {} had moved on, so its result was not recorded", lease.id(),
                lease.attempt(), lease.owner());
        notify(l -> l.fencedOut(lease));
    }

    private void rescue() {
        List<Long> rescued = store.rescueExpired(queue.clock().instant());
        if (!rescued.isEmpty()) {
            LOG.info("rescued {} job(s) whose lease expired", rescued.size());
            notify(l -> l.rescued(rescued));
        }
    }

    private void prune() {
        try {
            int pruned = store.prune(queue.clock().instant().minus(config.retention()));
            if (pruned > 0) {
                LOG.info("pruned {} finished job(s) older than {}", pruned, config.retention());
            }
        } catch (SomaException e) {
            LOG.warn("pruning finished jobs failed ({}); trying again in a minute", e.getMessage());
        }
    }

    private void heartbeatAndTimeouts() {
        long now = System.nanoTime();
        List<Lease> leases = new ArrayList<>();
        for (Iterator<Running> it = inflight.values().iterator(); it.hasNext(); ) {
            Running running = it.next();
            long started = running.startedNanos;
            if (started != 0 && !running.finished && now - started > config.jobTimeout().toNanos()) {
                it.remove();
                running.abandoned = true;
                running.future.cancel(true);
                recordFailure(running, new JobTimeoutException(config.jobTimeout()));
            } else if (!running.inTransaction) {
                leases.add(running.job.lease());
            }
        }
        try {
            store.heartbeat(leases, queue.clock().instant(), config.lease());
        } catch (SomaException e) {
            LOG.warn("heartbeat failed ({}); trying again in {}", e.getMessage(), config.heartbeatInterval());
            notify(l -> l.heartbeatFailed(e.getMessage()));
        }
    }

    private void shutdown() throws InterruptedException {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (!inflight.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Outcome next = outcomes.poll(Math.min(left, config.heartbeatInterval().toNanos()), TimeUnit.NANOSECONDS);
            if (next != null) {
                handleOutcomes(next);
            }
        }
        handleOutcomes(null);
        flushCompletions();
        flushWrites();
        releaseInflight();
    }

    private void shutdownQuietly() {
        try {
            releaseInflight();
        } catch (RuntimeException e) {
            LOG.warn("could not release {} running job(s) on shutdown: {}; they are rescued when their lease expires",
                    inflight.size(), e.getMessage());
        }
    }

    private void releaseInflight() {
        if (inflight.isEmpty()) {
            return;
        }
        List<Lease> leases = new ArrayList<>();
        for (Running running : inflight.values()) {
            running.abandoned = true;
            running.future.cancel(true);
            leases.add(running.job.lease());
        }
        int released = store.release(leases, queue.clock().instant());
        LOG.info("released {} running job(s) back to pending on shutdown", released);
        inflight.clear();
    }

    private void rethrowCrash() {
        Throwable e = crash;
        if (e instanceof SomaException soma) {
            throw soma;
        }
        if (e != null) {
            throw new SomaException(ErrorCode.INTERNAL, "job worker " + owner + " stopped: " + e, e);
        }
    }

    private void notify(java.util.function.Consumer<JobListener> event) {
        try {
            event.accept(queue.listener());
        } catch (RuntimeException e) {
            LOG.warn("a job listener threw; ignored", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A claimed job on its way through a handler; also the handler's {@link JobContext}. */
    private static final class Running implements JobContext {
        final Job job;
        volatile Future<?> future;
        volatile long startedNanos;
        volatile boolean abandoned;
        /** The handler returned; the completion is buffered. */
        boolean finished;
        /** What a batch handler's prepare returned, until it is written. */
        volatile Object prepared;
        /** On DuckDB: the job's transactional handler has its transaction open (the heartbeat skips the job). */
        volatile boolean inTransaction;

        Running(Job job) {
            this.job = job;
        }

        @Override
        public long id() {
            return job.id();
        }

        @Override
        public String kind() {
            return job.kind();
        }

        @Override
        public String payload() {
            return job.payload();
        }

        @Override
        public int attempt() {
            return job.attempt();
        }

        @Override
        public int maxAttempts() {
            return job.maxAttempts();
        }

        @Override
        public String uniqueKey() {
            return job.uniqueKey();
        }

        @Override
        public boolean abandoned() {
            return abandoned || Thread.currentThread().isInterrupted();
        }
    }

    private record Outcome(Running running, Kind kind, Throwable error) {
        enum Kind { SUCCEEDED, PREPARED, COMMITTED, FENCED, THREW }
    }
}
