package dev.soma.jobs;

import java.util.List;

/**
 * A handler in two phases, for jobs whose effect is a write to the queue's own database and whose slow part
 * (HTTP, parsing) needs no database:
 * <ol>
 *   <li>{@link #prepare} runs each job on a handler thread, several at once, outside any transaction, and returns
 *       what to write (throwing fails that job alone, retried with backoff like any handler);</li>
 *   <li>{@link #write} writes the prepared results of a whole batch in <b>one</b> transaction, the one that also
 *       completes those jobs: a crash loads none of the batch and its jobs are rescued and run again; a job whose
 *       lease moved on is left out before {@code write} sees it (fencing), so its effect is never written.</li>
 * </ol>
 * If {@code write} throws for a batch, the worker writes each of its jobs in a transaction of its own, so one
 * bad job fails alone (with its error) and the others complete.
 *
 * <p>When the effect is a write to another database (e.g. a DuckDB warehouse beside the PostgreSQL store), {@code write}
 * can commit it in a transaction of its own: the completions commit only after {@code write} returns, so a throw
 * completes nothing, and a crash between the two commits runs the jobs again; the effect must then be a replace by
 * key ({@link TransactionContext#isOn} tells which case a transaction is).
 *
 * <p>On the DuckDB store the writes of one worker go one at a time on its dispatcher thread, between claims and
 * heartbeats, so they never conflict with the queue's own writes. Keep {@code write} to database work.
 *
 * @param <T> what {@link #prepare} hands to {@link #write}
 */
public interface BatchJobHandler<T> {

    /** The job's work, outside any transaction; the result is written by {@link #write}. Called on several threads at once. */
    T prepare(JobContext job) throws Exception;

    /**
     * Writes the prepared results of jobs whose leases still hold, on {@code transaction} (do not commit, roll
     * back or close it). Called on one thread at a time per worker.
     */
    void write(List<Prepared<T>> jobs, TransactionContext transaction) throws Exception;

    /** One job and what {@link #prepare} returned for it. */
    record Prepared<T>(JobContext job, T result) {
    }
}
