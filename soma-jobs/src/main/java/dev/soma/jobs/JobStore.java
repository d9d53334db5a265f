package dev.soma.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where jobs live: the DuckDB store (tables in {@code soma_meta} of a warehouse) or the PostgreSQL store,
 * both from {@link JobStores}. Every method that moves a job checks the state it expects (see
 * {@link JobTransition}) and, where a worker acts, the {@link Lease}; a lost race updates nothing.
 *
 * <p>Times come from the caller (the queue's clock), so tests can move time. Thread-safe.
 * Most code uses {@link JobQueue} rather than a store directly.
 */
public interface JobStore extends AutoCloseable {

    /** Where the store is, for messages: a file, {@code :memory:}, or a JDBC URL without password. */
    String describe();

    /** Whether a {@link TransactionContext#session()} is available (the DuckDB store). */
    boolean hasSession();

    /** Inserts the jobs, in order; a job whose unique key is already held returns the holder's id. */
    List<EnqueueResult> enqueue(List<NewJob> jobs, Instant now);

    /**
     * Claims up to {@code limit} due pending jobs, priority then {@code run_at} then id first, giving each a
     * lease to {@code owner} until {@code now + lease} and counting an attempt.
     *
     * @param kinds only these kinds; empty for any
     */
    List<Job> claim(String owner, int limit, Set<String> kinds, Instant now, Duration lease);

    /** Completes the jobs whose fence still holds, in one statement per attempt number; returns their ids. */
    List<Long> complete(Collection<Lease> leases, Instant now);

    /**
     * Runs {@code effect} and completes the job in one transaction. If the fence no longer holds, the
     * transaction rolls back (effect included) and this returns {@code false}.
     */
    boolean completeWith(Lease lease, Instant now, TransactionalEffect effect) throws Exception;

    /**
     * Completes those of {@code leases} whose fence still holds and runs {@code effect} with their ids, in one
     * transaction: the completions are written first (on PostgreSQL they lock the rows until the commit), so the
     * effect sees exactly the jobs it completes. If {@code effect} throws, nothing is completed or written.
     *
     * @return the ids completed (the others had been fenced out)
     */
    List<Long> completeWith(Collection<Lease> leases, Instant now, BatchEffect effect) throws Exception;

    /**
     * Records {@code error} and moves the job back to pending at {@code retryAt}, or to failed when this was
     * its last attempt.
     *
     * @return the new state, or empty when the fence no longer holds (nothing recorded)
     */
    Optional<JobState> fail(Lease lease, JobError error, Instant retryAt);

    /** Extends the leases still held to {@code now + lease}; returns how many were. */
    int heartbeat(Collection<Lease> leases, Instant now, Duration lease);

    /** Gives running jobs back to pending without spending their attempt (graceful shutdown). */
    int release(Collection<Lease> leases, Instant now);

    /**
     * Every processing job whose lease expired before {@code now} goes back to pending due now (or to
     * failed at max attempts), with the error {@value JobError#LEASE_EXPIRED}.
     *
     * @return their ids
     */
    List<Long> rescueExpired(Instant now);

    /**
     * Failed jobs back to pending, attempts reset, due now. A failed job whose unique key another live job
     * now holds stays failed.
     *
     * @return how many moved
     */
    int retryFailed(RetrySelection selection, Instant now);

    /** Cancels those of {@code ids} that are pending; returns their ids. */
    List<Long> cancel(Collection<Long> ids, Instant now);

    /** Deletes finished jobs (completed, failed, cancelled) that finished before {@code cutoff}, with their errors. */
    int prune(Instant cutoff);

    /** One job with its full error history. */
    Optional<Job> find(long id);

    /** A page of jobs, newest first. */
    JobPage list(JobQuery query);

    /** Counts per state and kind. */
    QueueStats stats(Instant now);

    /**
     * Waits up to {@code max} for a sign that jobs were enqueued (in this JVM, or via PostgreSQL's
     * LISTEN/NOTIFY); returns early on one. Callers poll anyway: a missed sign costs one poll interval.
     */
    void awaitJobs(Duration max) throws InterruptedException;

    /** Wakes every {@link #awaitJobs} caller in this JVM. */
    void wake();

    /** Closes the store's connections (not a warehouse passed in). */
    @Override
    void close();

    /** The effect of a batch of jobs inside the transaction completing {@code held}, the ids whose fence held. */
    @FunctionalInterface
    interface BatchEffect {
        void run(List<Long> held, TransactionContext transaction) throws Exception;
    }

    /** A handler's effect inside the completing transaction. */
    @FunctionalInterface
    interface TransactionalEffect {
        void run(TransactionContext transaction) throws Exception;
    }
}
