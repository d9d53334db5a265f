package dev.soma.enrich;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.BatchJobHandler;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobContext;
import dev.soma.jobs.JobQuery;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.TransactionContext;

import java.util.List;
import java.util.function.Function;

/**
 * The job kinds enrichment brings to a queue, for a process that runs whatever jobs it finds ({@code soma worker},
 * an embedding app's worker): today {@value EnrichBookHandler#KIND}.
 *
 * <pre>{@code
 * JobQueue queue = EnrichJobs.register(JobQueue.builder().store(store), warehouse, System::getenv).build();
 * }</pre>
 */
public final class EnrichJobs {

    /** The kinds {@link #register} adds. */
    public static final List<String> KINDS = List.of(EnrichBookHandler.KIND);

    private EnrichJobs() {
    }

    /**
     * Registers {@value EnrichBookHandler#KIND} with {@link EnrichSettings#fromEnvironment settings from env}, made on
     * the first job (so that queues that never see one make no HTTP client), writing the books to {@code warehouse}.
     * With no warehouse (a PostgreSQL queue without a DuckDB file) its jobs fail saying so.
     */
    public static JobQueue.Builder register(JobQueue.Builder builder, Warehouse warehouse, Function<String, String> env) {
        return builder.batchHandler(EnrichBookHandler.KIND, new LazyHandler(warehouse, env));
    }

    /**
     * Cancels every pending {@value EnrichBookHandler#KIND} job on {@code queue}.
     *
     * @return how many were cancelled
     */
    public static long cancelPending(JobQueue queue) {
        long cancelled = 0;
        while (true) {
            List<Long> ids = queue.list(JobQuery.all().withState(JobState.PENDING).withKind(EnrichBookHandler.KIND).withLimit(10_000))
                    .jobs().stream().map(Job::id).toList();
            if (ids.isEmpty()) {
                return cancelled;
            }
            int now = queue.cancel(ids).size();
            if (now == 0) {
                return cancelled; // every listed job left pending meanwhile
            }
            cancelled += now;
        }
    }

    /** The handler, made with the environment's settings when the first job arrives. */
    private static final class LazyHandler implements BatchJobHandler<EnrichBookHandler.Enriched> {
        private final Warehouse warehouse;
        private final Function<String, String> env;
        private volatile EnrichBookHandler handler;

        LazyHandler(Warehouse warehouse, Function<String, String> env) {
            this.warehouse = warehouse;
            this.env = env;
        }

        @Override
        public EnrichBookHandler.Enriched prepare(JobContext job) {
            return handler().prepare(job);
        }

        @Override
        public void write(List<Prepared<EnrichBookHandler.Enriched>> jobs, TransactionContext transaction) throws Exception {
            handler().write(jobs, transaction);
        }

        private EnrichBookHandler handler() {
            EnrichBookHandler h = handler;
            if (h == null) {
                synchronized (this) {
                    if (handler == null) {
                        if (warehouse == null) {
                            throw new SomaException(ErrorCode.INVALID_CONFIG,
                                    "enrich_book writes its books to a DuckDB warehouse and this worker has none; run the"
                                            + " worker with --db PATH beside --queue-url, then: soma jobs retry-failed --kind enrich_book");
                        }
                        handler = EnrichSettings.fromEnvironment(env).handler(warehouse);
                    }
                    h = handler;
                }
            }
            return h;
        }
    }
}
