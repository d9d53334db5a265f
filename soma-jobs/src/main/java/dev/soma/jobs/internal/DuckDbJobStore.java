package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.EnqueueResult;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobTransition;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.TransactionContext;

import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.soma.jobs.internal.JobTables.COLUMNS;
import static dev.soma.jobs.internal.JobTables.JOBS;
import static dev.soma.jobs.internal.JobTables.SCHEMA;
import static dev.soma.jobs.internal.JobTables.utc;

/**
 * The job store in {@code soma_meta} of a DuckDB warehouse, the default. DuckDB has one writer process and no
 * {@code SKIP LOCKED} or partial unique index, so this JVM is the only one on the file: enqueues go one at a time
 * (the unique key is checked, then appended), the queue's writes take the warehouse's write lock, rows go in
 * through the Appender, and a handler's transaction offers the warehouse {@link Session}.
 */
public final class DuckDbJobStore extends SqlJobStore {

    private static final SqlOwner OWNER = SqlOwner.soma("job queue");

    private final DuckDbConnections connections;
    private final Object enqueueLock = new Object();

    public DuckDbJobStore(DuckDbConnections connections) {
        super(connections, connections.warehouse().describe());
        this.connections = connections;
    }

    @Override
    public boolean hasSession() {
        return true;
    }

    @Override
    protected List<String> ddl() {
        // No primary key: ids come from the sequence, and an ART index on id makes every UPDATE of a claimed batch
        // about three times slower (measured: benchmarks/README.md, job queue).
        return JobTables.tables("VARCHAR", "NOT NULL");
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs, Instant now) {
        // No partial unique index: one enqueuer at a time in this JVM, the only process on the file.
        synchronized (enqueueLock) {
            return super.enqueue(jobs, now);
        }
    }

    @Override
    protected String rows(int count) {
        return "range(" + count + ")";
    }

    @Override
    protected Set<Long> insert(Connections.Lent lent, List<NewJob> jobs, List<Integer> chosen, long[] ids,
                               LocalDateTime created) {
        lent.session().append(OWNER, SCHEMA, "jobs", appender -> {
            for (int n = 0; n < chosen.size(); n++) {
                NewJob job = jobs.get(chosen.get(n));
                appender.beginRow();
                appender.append(ids[n]);
                appender.append(job.kind());
                appender.append(job.payload());
                appender.append(job.priority());
                appender.append(JobState.PENDING.dbName());
                appender.append(job.runAt() == null ? created : utc(job.runAt()));
                appender.append(0);
                appender.append(job.maxAttempts());
                if (job.uniqueKey() == null) {
                    appender.appendNull();
                } else {
                    appender.append(job.uniqueKey());
                }
                appender.appendNull();
                appender.appendNull();
                appender.append(created);
                appender.appendNull();
                appender.appendNull();
                appender.append(0);
                appender.endRow();
            }
            return null;
        });
        // the enqueue lock held: no other transaction took a key meanwhile
        Set<Long> all = new HashSet<>();
        for (long id : ids) {
            all.add(id);
        }
        return all;
    }

    @Override
    protected String claimStatement(String due, String set) {
        return "UPDATE " + JOBS + " SET " + set + " WHERE id IN (" + due + ") AND state = '"
                + JobTransition.CLAIM.from().dbName() + "' RETURNING " + COLUMNS;
    }

    /** Nothing: only this process has the file, and the store's signal wakes its workers. */
    @Override
    protected void announce(Connection connection) {
    }

    /** Under the warehouse's write lock (see {@link DuckDbConnections#writeLock()}). */
    @Override
    protected <T, E extends Exception> T exclusive(Guarded<T, E> work) throws E {
        synchronized (connections.writeLock()) {
            return work.run();
        }
    }

    @Override
    protected TransactionContext handlerTransaction(Connections.Lent lent) {
        return new Transaction(lent.session(), connections.warehouse());
    }

    /**
     * Every processing job not owned by a worker of this process is an orphan (one process holds the file), so
     * it is rescued at once instead of after its lease.
     */
    public List<Long> rescueOrphans(Instant now, String ownerPrefix) {
        return rescue("(owner IS NULL OR owner NOT LIKE ?)", now, ownerPrefix.replace("%", "\\%") + "%");
    }

    /** A handler's transaction: the session's open transaction on the store's warehouse. */
    private record Transaction(Session session, Warehouse warehouse) implements TransactionContext {

        @Override
        public boolean isOn(Warehouse other) {
            return warehouse == other;
        }

        @Override
        public Connection connection() {
            return session.jdbc();
        }
    }
}
