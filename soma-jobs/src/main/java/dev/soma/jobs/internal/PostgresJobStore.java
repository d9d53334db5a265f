package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.TransactionContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static dev.soma.jobs.internal.JobTables.COLUMNS;
import static dev.soma.jobs.internal.JobTables.ERRORS;
import static dev.soma.jobs.internal.JobTables.FINISHED_STATES;
import static dev.soma.jobs.internal.JobTables.JOBS;
import static dev.soma.jobs.internal.JobTables.LIVE_STATES;
import static dev.soma.jobs.internal.JobTables.utc;

/**
 * The job store on PostgreSQL, for several worker processes on several machines: claims with
 * {@code FOR UPDATE SKIP LOCKED}, a partial unique index that keeps one live job per unique key (a raced insert is
 * skipped, {@code ON CONFLICT DO NOTHING}), and {@code NOTIFY} on {@value #CHANNEL} so idle workers anywhere
 * wake on an enqueue ({@link PostgresListener}, started by the first {@link #awaitJobs}).
 */
public final class PostgresJobStore extends SqlJobStore {

    /** The notification channel enqueues signal on. */
    public static final String CHANNEL = "soma_jobs";

    private final PostgresListener listener;
    private final AtomicBoolean listening = new AtomicBoolean();

    public PostgresJobStore(PostgresConnections connections, String description) {
        super(connections, description);
        this.listener = new PostgresListener(connections, this::wake);
    }

    @Override
    public boolean hasSession() {
        return false;
    }

    @Override
    protected List<String> ddl() {
        List<String> statements = new ArrayList<>(JobTables.tables("TEXT", "PRIMARY KEY"));
        // Partial indexes keep the claim and the rescue scans on the few rows that matter.
        statements.add("CREATE INDEX IF NOT EXISTS jobs_due ON " + JOBS + " (priority, run_at, id) WHERE state = 'pending'");
        statements.add("CREATE INDEX IF NOT EXISTS jobs_leases ON " + JOBS + " (lease_expires_at) WHERE state = 'processing'");
        statements.add("CREATE INDEX IF NOT EXISTS jobs_finished ON " + JOBS + " (finished_at) WHERE state IN " + FINISHED_STATES);
        statements.add("CREATE UNIQUE INDEX IF NOT EXISTS jobs_unique_key ON " + JOBS
                + " (unique_key) WHERE unique_key IS NOT NULL AND state IN " + LIVE_STATES);
        statements.add("CREATE INDEX IF NOT EXISTS job_errors_job ON " + ERRORS + " (job_id)");
        return statements;
    }

    @Override
    protected String rows(int count) {
        return "generate_series(1, " + count + ")";
    }

    /** One statement over arrays of the columns; a key another transaction took meanwhile is skipped. */
    @Override
    protected Set<Long> insert(Connections.Lent lent, List<NewJob> jobs, List<Integer> chosen, long[] ids,
                               LocalDateTime created) throws SQLException {
        Connection connection = lent.connection();
        int n = chosen.size();
        Object[] idArray = new Object[n];
        Object[] kinds = new Object[n];
        Object[] payloads = new Object[n];
        Object[] priorities = new Object[n];
        Object[] runAts = new Object[n];
        Object[] maxAttempts = new Object[n];
        Object[] keys = new Object[n];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(chosen.get(i));
            idArray[i] = ids[i];
            kinds[i] = job.kind();
            payloads[i] = job.payload();
            priorities[i] = job.priority();
            runAts[i] = Timestamp.valueOf(job.runAt() == null ? created : utc(job.runAt()));
            maxAttempts[i] = job.maxAttempts();
            keys[i] = job.uniqueKey();
        }
        String sql = "INSERT INTO " + JOBS + " (" + COLUMNS + ") "
                + "SELECT t.id, t.kind, t.payload, t.priority, 'pending', t.run_at, 0, t.max_attempts, t.unique_key, "
                + "NULL, NULL, ?, NULL, NULL, 0 FROM unnest(?::bigint[], ?::text[], ?::text[], ?::int[], ?::timestamp[], "
                + "?::int[], ?::text[]) AS t(id, kind, payload, priority, run_at, max_attempts, unique_key) "
                + "ON CONFLICT DO NOTHING RETURNING id";
        Set<Long> inserted = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, created);
            statement.setArray(2, connection.createArrayOf("bigint", idArray));
            statement.setArray(3, connection.createArrayOf("text", kinds));
            statement.setArray(4, connection.createArrayOf("text", payloads));
            statement.setArray(5, connection.createArrayOf("int4", priorities));
            statement.setArray(6, connection.createArrayOf("timestamp", runAts));
            statement.setArray(7, connection.createArrayOf("int4", maxAttempts));
            statement.setArray(8, connection.createArrayOf("text", keys));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getLong(1));
                }
            }
        }
        return inserted;
    }

    /** The due rows locked with {@code SKIP LOCKED}: concurrent claimers take different jobs without waiting. */
    @Override
    protected String claimStatement(String due, String set) {
        String pending = dev.soma.jobs.JobTransition.CLAIM.from().dbName();
        return "UPDATE " + JOBS + " AS j SET " + set.replace("attempt = attempt", "attempt = j.attempt") + " FROM (" + due
                + " FOR UPDATE SKIP LOCKED) AS c WHERE j.id = c.id AND j.state = '" + pending + "' RETURNING "
                + java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "j." + c).collect(Collectors.joining(", "));
    }

    @Override
    protected void announce(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_notify('" + CHANNEL + "', '')");
        }
    }

    /** As it is: row locks and {@code SKIP LOCKED} keep concurrent writers apart. */
    @Override
    protected <T, E extends Exception> T exclusive(Guarded<T, E> work) throws E {
        return work.run();
    }

    @Override
    protected TransactionContext handlerTransaction(Connections.Lent lent) {
        return new Transaction(lent.connection());
    }

    @Override
    public void awaitJobs(Duration max) throws InterruptedException {
        if (listening.compareAndSet(false, true)) {
            listener.start();
        }
        super.awaitJobs(max);
    }

    @Override
    public void close() {
        listener.close();
        super.close();
    }

    /** A handler's transaction: a plain JDBC connection, on no warehouse. */
    private record Transaction(Connection connection) implements TransactionContext {

        @Override
        public boolean isOn(Warehouse warehouse) {
            return false;
        }

        @Override
        public Session session() {
            throw new UnsupportedOperationException("the PostgreSQL job store has no DuckDB session; use connection()");
        }
    }
}
