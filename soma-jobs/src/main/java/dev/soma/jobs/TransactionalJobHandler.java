package dev.soma.jobs;

/**
 * A handler whose effect is a write to the queue's own database (on the DuckDB store: the warehouse,
 * e.g. rows into {@code raw}). The write and the job's completion commit in one transaction: if the
 * worker lost the job's lease meanwhile, both roll back, so the effect lands exactly once per job
 * (effectively once, on top of at-least-once delivery).
 *
 * <p>The whole handler runs inside the transaction. On the DuckDB store the job's lease is renewed in full just
 * before it opens and not again until it ends (a renewal committed on the job's row meanwhile would make the
 * completion conflict), so keep the handler shorter than the lease; slow work that needs no database (HTTP)
 * belongs in a {@link BatchJobHandler}'s {@code prepare}, outside any transaction.
 */
@FunctionalInterface
public interface TransactionalJobHandler {

    void handle(JobContext job, TransactionContext transaction) throws Exception;
}
