/**
 * The durable job queue: enqueue JSON jobs by kind, run them on a pool of worker threads with leases,
 * heartbeats, retries with backoff, a dead letter ({@code failed}) and fencing, on DuckDB (in
 * {@code soma_meta}, the default) or PostgreSQL.
 *
 * <p>Entry point: {@link dev.soma.jobs.JobQueue#builder()}. The states and their allowed moves are in
 * {@link dev.soma.jobs.JobTransition}; the stores implement {@link dev.soma.jobs.JobStore}, created by
 * {@link dev.soma.jobs.JobStores}. Delivery is at-least-once: see docs/jobs.md for how handlers stay
 * idempotent, and {@link dev.soma.jobs.TransactionalJobHandler} and {@link dev.soma.jobs.BatchJobHandler}
 * (a batch of jobs written in one transaction) for effectively-once effects written to the queue's own database.
 */
package dev.soma.jobs;
