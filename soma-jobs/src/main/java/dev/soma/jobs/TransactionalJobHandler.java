package dev.soma.jobs;

/**
 * A handler whose effect is a write to the queue's own database (on the DuckDB store: the warehouse,
 * e.g. rows into {@code raw}). The write and the job's completion commit in one transaction: if the
 * worker lost the job's lease meanwhile, both roll back, so the effect lands exactly once per job
 * (effectively once, on top of at-least-once delivery).
 */
@FunctionalInterface
public interface TransactionalJobHandler {

    void handle(JobContext job, TransactionContext transaction) throws Exception;
}
