package dev.soma.jobs.internal;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.EnqueueResult;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobPage;
import dev.soma.jobs.JobQuery;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobTransition;
import dev.soma.jobs.Lease;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.QueueStats;
import dev.soma.jobs.RetrySelection;
import dev.soma.jobs.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The job store on SQL, for both dialects: {@code soma_meta.jobs} (one row per job) and
 * {@code soma_meta.job_errors} (every error of every attempt). Times are stored as UTC {@code TIMESTAMP}s.
 *
 * <p>Every statement that moves a job names the state it expects ({@link JobTransition#from()}) and,
 * for a worker's writes, the fence (id, attempt, owner), so a lost race updates zero rows. Writes for
 * many jobs go in one statement per (owner, attempt) group: {@code … WHERE id IN (…) AND attempt = ?
 * AND owner = ? AND state = 'processing'}.
 */
public final class SqlJobStore implements JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqlJobStore.class);

    /** The schema of every queue table, on both stores. */
    public static final String SCHEMA = "soma_meta";
    static final String JOBS = SCHEMA + ".jobs";
    static final String ERRORS = SCHEMA + ".job_errors";
    static final String SEQUENCE = SCHEMA + ".jobs_id_seq";
    /** The PostgreSQL notification channel enqueues signal on. */
    public static final String CHANNEL = "soma_jobs";

    private static final String COLUMNS = "id, kind, payload, priority, state, run_at, attempt, max_attempts, unique_key, "
            + "owner, lease_expires_at, created_at, started_at, finished_at, error_count";
    private static final String LIVE_STATES = "('pending', 'processing', 'completed')";
    private static final String FINISHED_STATES = "('completed', 'failed', 'cancelled')";

    /** What differs between DuckDB and PostgreSQL. */
    public enum Dialect { DUCKDB, POSTGRES }

    private final Dialect dialect;
    private final Connections connections;
    private final String description;
    private final Signal signal = new Signal();
    private final Object enqueueLock = new Object();
    private volatile Runnable beforeAwait = () -> { };
    private final List<AutoCloseable> closeWith = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SqlJobStore(Dialect dialect, Connections connections, String description) {
        this.dialect = dialect;
        this.connections = connections;
        this.description = description;
    }

    /** Closes {@code resource} when the store closes (before its connections). */
    public void closeWith(AutoCloseable resource) {
        closeWith.add(resource);
    }

    /** Runs once before the first {@link #awaitJobs} (PostgreSQL starts its LISTEN thread there). */
    public void beforeAwait(Runnable hook) {
        this.beforeAwait = hook;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean hasSession() {
        return dialect == Dialect.DUCKDB;
    }

    /** Creates the schema, sequence, tables and indexes when missing. */
    public void migrate() {
        run(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : ddl()) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
    }

    private List<String> ddl() {
        String text = dialect == Dialect.POSTGRES ? "TEXT" : "VARCHAR";
        List<String> statements = new ArrayList<>();
        // DuckDB: no primary key. Ids come from the sequence, and an ART index on id makes every UPDATE of a
        // claimed batch about three times slower (measured: benchmarks/README.md, job queue).
        statements.add("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        statements.add("CREATE SEQUENCE IF NOT EXISTS " + SEQUENCE);
        statements.add("CREATE TABLE IF NOT EXISTS " + JOBS + " ("
                + "id BIGINT " + (dialect == Dialect.POSTGRES ? "PRIMARY KEY" : "NOT NULL") + ", kind " + text + " NOT NULL, payload " + text + " NOT NULL, "
                + "priority INTEGER NOT NULL, state " + text + " NOT NULL, run_at TIMESTAMP NOT NULL, "
                + "attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL, unique_key " + text + ", "
                + "owner " + text + ", lease_expires_at TIMESTAMP, created_at TIMESTAMP NOT NULL, "
                + "started_at TIMESTAMP, finished_at TIMESTAMP, error_count INTEGER NOT NULL)");
        statements.add("CREATE TABLE IF NOT EXISTS " + ERRORS + " ("
                + "job_id BIGINT NOT NULL, attempt INTEGER NOT NULL, message " + text + " NOT NULL, "
                + "exception_class " + text + ", occurred_at TIMESTAMP NOT NULL)");
        if (dialect == Dialect.POSTGRES) {
            // Partial indexes keep the claim and the rescue scans on the few rows that matter.
            statements.add("CREATE INDEX IF NOT EXISTS jobs_due ON " + JOBS + " (priority, run_at, id) WHERE state = 'pending'");
            statements.add("CREATE INDEX IF NOT EXISTS jobs_leases ON " + JOBS + " (lease_expires_at) WHERE state = 'processing'");
            statements.add("CREATE INDEX IF NOT EXISTS jobs_finished ON " + JOBS + " (finished_at) WHERE state IN " + FINISHED_STATES);
            statements.add("CREATE UNIQUE INDEX IF NOT EXISTS jobs_unique_key ON " + JOBS
                    + " (unique_key) WHERE unique_key IS NOT NULL AND state IN " + LIVE_STATES);
            statements.add("CREATE INDEX IF NOT EXISTS job_errors_job ON " + ERRORS + " (job_id)");
        }
        return statements;
    }

    // ---------------------------------------------------------------- enqueue

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs, Instant now) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        // DuckDB has no partial unique index: one enqueuer at a time in this JVM, the only process on the file.
        if (dialect == Dialect.DUCKDB) {
            synchronized (enqueueLock) {
                return enqueueLocked(jobs, now);
            }
        }
        return enqueueLocked(jobs, now);
    }

    private List<EnqueueResult> enqueueLocked(List<NewJob> jobs, Instant now) {
        List<EnqueueResult> results = transaction(connection -> {
            EnqueueResult[] out = new EnqueueResult[jobs.size()];
            Map<String, Integer> firstWithKey = new HashMap<>();
            List<Integer> toInsert = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                String key = jobs.get(i).uniqueKey();
                if (key != null && firstWithKey.putIfAbsent(key, i) != null) {
                    continue;
                }
                toInsert.add(i);
            }
            Map<String, Long> existing = liveHolders(connection, firstWithKey.keySet());
            toInsert.removeIf(i -> {
                String key = jobs.get(i).uniqueKey();
                if (key != null && existing.containsKey(key)) {
                    out[i] = new EnqueueResult(existing.get(key), false);
                    return true;
                }
                return false;
            });
            long[] ids = allocateIds(connection, toInsert.size());
            Set<Long> inserted = insert(connection, jobs, toInsert, ids, now);
            List<String> raced = new ArrayList<>();
            for (int n = 0; n < toInsert.size(); n++) {
                int i = toInsert.get(n);
                if (inserted.contains(ids[n])) {
                    out[i] = new EnqueueResult(ids[n], true);
                } else {
                    raced.add(jobs.get(i).uniqueKey());
                }
            }
            if (!raced.isEmpty()) {
                Map<String, Long> holders = liveHolders(connection, raced);
                for (int i : toInsert) {
                    if (out[i] == null) {
                        Long holder = holders.get(jobs.get(i).uniqueKey());
                        if (holder == null) {
                            throw new SQLException("unique key " + jobs.get(i).uniqueKey() + " conflicted but has no live holder");
                        }
                        out[i] = new EnqueueResult(holder, false);
                    }
                }
            }
            for (int i = 0; i < jobs.size(); i++) {
                if (out[i] == null) {
                    EnqueueResult first = out[firstWithKey.get(jobs.get(i).uniqueKey())];
                    out[i] = new EnqueueResult(first.id(), false);
                }
            }
            if (dialect == Dialect.POSTGRES && !toInsert.isEmpty()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_notify('" + CHANNEL + "', '')");
                }
            }
            return List.of(out);
        });
        signal.fire();
        return results;
    }

    private Map<String, Long> liveHolders(Connection connection, Collection<String> keys) throws SQLException {
        Map<String, Long> holders = new HashMap<>();
        if (keys.isEmpty()) {
            return holders;
        }
        List<String> list = List.copyOf(keys);
        for (int from = 0; from < list.size(); from += 1000) {
            List<String> chunk = list.subList(from, Math.min(list.size(), from + 1000));
            String sql = "SELECT unique_key, id FROM " + JOBS + " WHERE state IN " + LIVE_STATES + " AND unique_key IN ("
                    + chunk.stream().map(Identifiers::literal).collect(Collectors.joining(", ")) + ")";
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    holders.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return holders;
    }

    private long[] allocateIds(Connection connection, int count) throws SQLException {
        long[] ids = new long[count];
        if (count == 0) {
            return ids;
        }
        String series = dialect == Dialect.POSTGRES ? "generate_series(1, " + count + ")" : "range(" + count + ")";
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT nextval('" + SEQUENCE + "') FROM " + series)) {
            int n = 0;
            while (rs.next()) {
                ids[n++] = rs.getLong(1);
            }
        }
        java.util.Arrays.sort(ids);
        return ids;
    }

    /** Inserts the chosen jobs with the given ids; returns the ids that went in (PostgreSQL may skip a raced key). */
    private Set<Long> insert(Connection connection, List<NewJob> jobs, List<Integer> chosen, long[] ids, Instant now)
            throws SQLException {
        if (chosen.isEmpty()) {
            return Set.of();
        }
        LocalDateTime created = utc(now);
        if (dialect == Dialect.DUCKDB) {
            Session session = sessionOf(connection);
            session.append(dev.soma.core.warehouse.SqlOwner.soma("job queue"), SCHEMA, "jobs", appender -> {
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
            Set<Long> all = new java.util.HashSet<>();
            for (long id : ids) {
                all.add(id);
            }
            return all;
        }
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
            runAts[i] = java.sql.Timestamp.valueOf(job.runAt() == null ? created : utc(job.runAt()));
            maxAttempts[i] = job.maxAttempts();
            keys[i] = job.uniqueKey();
        }
        String sql = "INSERT INTO " + JOBS + " (" + COLUMNS + ") "
                + "SELECT t.id, t.kind, t.payload, t.priority, 'pending', t.run_at, 0, t.max_attempts, t.unique_key, "
                + "NULL, NULL, ?, NULL, NULL, 0 FROM unnest(?::bigint[], ?::text[], ?::text[], ?::int[], ?::timestamp[], "
                + "?::int[], ?::text[]) AS t(id, kind, payload, priority, run_at, max_attempts, unique_key) "
                + "ON CONFLICT DO NOTHING RETURNING id";
        Set<Long> inserted = new java.util.HashSet<>();
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

    // ---------------------------------------------------------------- claim and finish

    @Override
    public List<Job> claim(String owner, int limit, Set<String> kinds, Instant now, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        String kindFilter = kinds.isEmpty() ? "" : " AND kind IN ("
                + kinds.stream().sorted().map(Identifiers::literal).collect(Collectors.joining(", ")) + ")";
        String pending = JobTransition.CLAIM.from().dbName();
        String due = "SELECT id FROM " + JOBS + " WHERE state = '" + pending + "' AND run_at <= " + timestamp(now) + kindFilter
                + " ORDER BY priority, run_at, id LIMIT " + limit;
        String set = "SET state = 'processing', attempt = attempt + 1, owner = " + Identifiers.literal(owner)
                + ", lease_expires_at = " + timestamp(now.plus(lease)) + ", started_at = " + timestamp(now);
        // Plain statements with literals: DuckDB plans a prepared statement with a long IN list slowly.
        String literal = dialect == Dialect.POSTGRES
                ? "UPDATE " + JOBS + " AS j " + set.replace("attempt = attempt", "attempt = j.attempt") + " FROM (" + due
                + " FOR UPDATE SKIP LOCKED) AS c WHERE j.id = c.id AND j.state = '" + pending + "' RETURNING " + prefixed("j.")
                : "UPDATE " + JOBS + " " + set + " WHERE id IN (" + due + ") AND state = '" + pending + "' RETURNING " + COLUMNS;
        List<Job> claimed = transaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery(literal)) {
                    List<Job> jobs = new ArrayList<>();
                    while (rs.next()) {
                        jobs.add(job(rs));
                    }
                    return jobs;
                }
            }
        });
        claimed.sort(Comparator.comparingInt(Job::priority).thenComparing(Job::runAt).thenComparingLong(Job::id));
        return claimed;
    }

    private static String prefixed(String prefix) {
        return java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> prefix + c).collect(Collectors.joining(", "));
    }

    @Override
    public List<Long> complete(Collection<Lease> leases, Instant now) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return transaction(connection -> {
            List<Long> done = new ArrayList<>();
            for (Map.Entry<Fence, List<Long>> group : byFence(leases).entrySet()) {
                // Plain statements with literals: DuckDB plans a prepared statement with a long IN list slowly.
                String where = " WHERE id IN (" + joinIds(group.getValue()) + ") AND attempt = " + group.getKey().attempt()
                        + " AND owner = " + Identifiers.literal(group.getKey().owner());
                int updated;
                try (Statement statement = connection.createStatement()) {
                    updated = statement.executeUpdate("UPDATE " + JOBS + " SET state = 'completed', finished_at = "
                            + timestamp(now) + ", lease_expires_at = NULL" + where + " AND state = '"
                            + JobTransition.COMPLETE.from().dbName() + "'");
                }
                if (updated == group.getValue().size()) {
                    done.addAll(group.getValue());
                } else if (updated > 0) {
                    // some were fenced out: the ones this statement completed are completed under this very fence
                    try (Statement statement = connection.createStatement();
                         ResultSet rs = statement.executeQuery("SELECT id FROM " + JOBS + where + " AND state = 'completed'"
                                 + " AND finished_at = " + timestamp(now))) {
                        while (rs.next()) {
                            done.add(rs.getLong(1));
                        }
                    }
                }
            }
            return done;
        });
    }

    /** A TIMESTAMP literal (UTC, microseconds) both dialects read. */
    private static String timestamp(Instant instant) {
        return "TIMESTAMP '" + TIMESTAMP_TEXT.format(utc(instant)) + "'";
    }

    private static final java.time.format.DateTimeFormatter TIMESTAMP_TEXT =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", java.util.Locale.ROOT);

    @Override
    public boolean completeWith(Lease lease, Instant now, TransactionalEffect effect) throws Exception {
        return withEffect("completing job " + lease.id(), (lent, connection) -> {
            effect.run(new Transaction(lent, warehouse()));
            // On DuckDB the job's row is written and committed under the store's write lock, like every other
            // write to the jobs table (heartbeats, claims): a heartbeat that met this transaction's
            // uncommitted version of the row failed with "Conflict on update" and lost its round.
            Object lock = connections instanceof DuckDbConnections duckdb ? duckdb.writeLock() : new Object();
            synchronized (lock) {
                if (completeFenced(connection, List.of(lease), now).isEmpty()) {
                    connection.rollback();
                    return false;
                }
                connection.commit();
            }
            return true;
        });
    }

    @Override
    public List<Long> completeWith(Collection<Lease> leases, Instant now, BatchEffect effect) throws Exception {
        if (leases.isEmpty()) {
            return List.of();
        }
        EffectWork<List<Long>> batch = (lent, connection) -> {
            List<Long> held = completeFenced(connection, leases, now);
            if (!held.isEmpty()) {
                effect.run(held, new Transaction(lent, warehouse()));
            }
            connection.commit();
            return held;
        };
        if (connections instanceof DuckDbConnections duckdb) {
            // the whole transaction under the write lock: nothing else of this JVM writes the jobs table meanwhile
            synchronized (duckdb.writeLock()) {
                return withEffect("completing " + leases.size() + " job(s)", batch);
            }
        }
        return withEffect("completing " + leases.size() + " job(s)", batch);
    }

    /** The warehouse the store is on; null for PostgreSQL. */
    private Warehouse warehouse() {
        return connections instanceof DuckDbConnections duckdb ? duckdb.warehouse() : null;
    }

    @FunctionalInterface
    private interface EffectWork<T> {
        /** Runs in the open transaction; commits (or rolls back) itself. */
        T apply(Connections.Lent lent, Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in a transaction on a connection of its own; on a write conflict rolls back and runs it
     * again (up to 10 tries), so the effect in it must be safe to repeat.
     */
    private <T> T withEffect(String what, EffectWork<T> work) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Connections.Lent lent = connections.acquire();
            boolean broken = false;
            Connection connection = lent.connection();
            try {
                connection.setAutoCommit(false);
                return work.apply(lent, connection);
            } catch (Exception e) {
                rollbackQuietly(connection);
                broken = isBroken(connection);
                if (attempt < 10 && isConflict(e)) {
                    LOG.debug("write conflict {}; trying again", what, e);
                    pause(attempt);
                    continue;
                }
                throw e;
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    broken = true;
                }
                connections.release(lent, broken);
            }
        }
    }

    /** Completes the leases whose fence holds, one statement per fence, on {@code connection}'s transaction; their ids. */
    private List<Long> completeFenced(Connection connection, Collection<Lease> leases, Instant now) throws SQLException {
        List<Long> done = new ArrayList<>();
        for (Map.Entry<Fence, List<Long>> group : byFence(leases).entrySet()) {
            // Plain statements with literals: DuckDB plans a prepared statement with a long IN list slowly.
            String sql = "UPDATE " + JOBS + " SET state = 'completed', finished_at = " + timestamp(now)
                    + ", lease_expires_at = NULL WHERE id IN (" + joinIds(group.getValue()) + ") AND attempt = "
                    + group.getKey().attempt() + " AND owner = " + Identifiers.literal(group.getKey().owner())
                    + " AND state = '" + JobTransition.COMPLETE.from().dbName() + "' RETURNING id";
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    done.add(rs.getLong(1));
                }
            }
        }
        done.sort(null);
        return done;
    }

    @Override
    public Optional<JobState> fail(Lease lease, JobError error, Instant retryAt) {
        String processing = JobTransition.FAIL.from().dbName();
        String sql = "UPDATE " + JOBS + " SET "
                + "state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'pending' END, "
                + "run_at = CASE WHEN attempt >= max_attempts THEN run_at ELSE ? END, "
                + "finished_at = CASE WHEN attempt >= max_attempts THEN ? ELSE NULL END, "
                + "lease_expires_at = NULL, error_count = error_count + 1 "
                + "WHERE id = " + lease.id() + " AND attempt = " + lease.attempt() + " AND owner = ? AND state = '"
                + processing + "' RETURNING state";
        return transaction(connection -> {
            String state = null;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(retryAt));
                statement.setObject(2, utc(error.at()));
                statement.setString(3, lease.owner());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        state = rs.getString(1);
                    }
                }
            }
            if (state == null) {
                return Optional.empty();
            }
            insertErrors(connection, List.of(Map.entry(lease.id(), error)));
            return Optional.of(JobState.parse(state));
        });
    }

    @Override
    public int heartbeat(Collection<Lease> leases, Instant now, Duration lease) {
        if (leases.isEmpty()) {
            return 0;
        }
        return transaction(connection -> {
            int held = 0;
            for (Map.Entry<Fence, List<Long>> group : byFence(leases).entrySet()) {
                String sql = "UPDATE " + JOBS + " SET lease_expires_at = ?" + fenced(group, JobTransition.COMPLETE);
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, utc(now.plus(lease)));
                    statement.setString(2, group.getKey().owner());
                    held += statement.executeUpdate();
                }
            }
            return held;
        });
    }

    @Override
    public int release(Collection<Lease> leases, Instant now) {
        if (leases.isEmpty()) {
            return 0;
        }
        int released = transaction(connection -> {
            int count = 0;
            for (Map.Entry<Fence, List<Long>> group : byFence(leases).entrySet()) {
                String sql = "UPDATE " + JOBS + " SET state = 'pending', attempt = attempt - 1, run_at = ?, "
                        + "lease_expires_at = NULL" + fenced(group, JobTransition.RELEASE);
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, utc(now));
                    statement.setString(2, group.getKey().owner());
                    count += statement.executeUpdate();
                }
            }
            return count;
        });
        signal.fire();
        return released;
    }

    @Override
    public List<Long> rescueExpired(Instant now) {
        return rescue("lease_expires_at < ?", now, null);
    }

    /**
     * DuckDB only: every processing job not owned by a worker of this process is an orphan (one process
     * holds the file), so it is rescued at once instead of after its lease.
     */
    public List<Long> rescueOrphans(Instant now, String ownerPrefix) {
        return rescue("(owner IS NULL OR owner NOT LIKE ?)", now, ownerPrefix.replace("%", "\\%") + "%");
    }

    private List<Long> rescue(String condition, Instant now, String ownerPattern) {
        String processing = JobTransition.RESCUE.from().dbName();
        String sql = "UPDATE " + JOBS + " SET "
                + "state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'pending' END, "
                + "finished_at = CASE WHEN attempt >= max_attempts THEN ? ELSE NULL END, "
                + "run_at = ?, lease_expires_at = NULL, error_count = error_count + 1 "
                + "WHERE state = '" + processing + "' AND " + condition + " RETURNING id, attempt";
        List<Long> rescued = transaction(connection -> {
            List<Map.Entry<Long, JobError>> errors = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(now));
                statement.setObject(2, utc(now));
                if (ownerPattern == null) {
                    statement.setObject(3, utc(now));
                } else {
                    statement.setString(3, ownerPattern);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        errors.add(Map.entry(rs.getLong(1), new JobError(rs.getInt(2), JobError.LEASE_EXPIRED, null, now)));
                    }
                }
            }
            insertErrors(connection, errors);
            return errors.stream().map(Map.Entry::getKey).sorted().toList();
        });
        if (!rescued.isEmpty()) {
            signal.fire();
        }
        return rescued;
    }

    @Override
    public int retryFailed(RetrySelection selection, Instant now) {
        StringBuilder where = new StringBuilder(" WHERE state = '" + JobTransition.RETRY_FAILED.from().dbName() + "'");
        if (selection.kind() != null) {
            where.append(" AND kind = ").append(Identifiers.literal(selection.kind()));
        }
        if (!selection.ids().isEmpty()) {
            where.append(" AND id IN (").append(joinIds(selection.ids())).append(")");
        }
        where.append(" AND (unique_key IS NULL OR NOT EXISTS (SELECT 1 FROM ").append(JOBS)
                .append(" AS holder WHERE holder.unique_key = ").append(JOBS).append(".unique_key AND holder.state IN ")
                .append(LIVE_STATES).append("))");
        String sql = "UPDATE " + JOBS + " SET state = 'pending', attempt = 0, run_at = ?, finished_at = NULL,"
                + " lease_expires_at = NULL" + where;
        int moved = transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(now));
                return statement.executeUpdate();
            }
        });
        if (moved > 0) {
            notifyPostgres();
            signal.fire();
        }
        return moved;
    }

    @Override
    public List<Long> cancel(Collection<Long> ids, Instant now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "UPDATE " + JOBS + " SET state = 'cancelled', finished_at = ? WHERE state = '"
                + JobTransition.CANCEL.from().dbName() + "' AND id IN (" + joinIds(ids) + ") RETURNING id";
        return transaction(connection -> {
            List<Long> cancelled = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(now));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        cancelled.add(rs.getLong(1));
                    }
                }
            }
            cancelled.sort(null);
            return cancelled;
        });
    }

    @Override
    public int prune(Instant cutoff) {
        String finished = "state IN " + FINISHED_STATES + " AND finished_at < ?";
        return transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + ERRORS
                    + " WHERE job_id IN (SELECT id FROM " + JOBS + " WHERE " + finished + ")")) {
                statement.setObject(1, utc(cutoff));
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + JOBS + " WHERE " + finished)) {
                statement.setObject(1, utc(cutoff));
                return statement.executeUpdate();
            }
        });
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Optional<Job> find(long id) {
        return run(connection -> {
            Job job = null;
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT " + COLUMNS + " FROM " + JOBS + " WHERE id = " + id)) {
                if (rs.next()) {
                    job = job(rs);
                }
            }
            if (job == null) {
                return Optional.empty();
            }
            List<JobError> errors = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT attempt, message, exception_class, occurred_at FROM " + ERRORS
                         + " WHERE job_id = " + id + " ORDER BY occurred_at, attempt")) {
                while (rs.next()) {
                    errors.add(new JobError(rs.getInt(1), rs.getString(2), rs.getString(3), instant(rs, 4)));
                }
            }
            return Optional.of(job.withErrors(errors));
        });
    }

    @Override
    public JobPage list(JobQuery query) {
        List<String> conditions = new ArrayList<>();
        if (query.state() != null) {
            conditions.add("state = '" + query.state().dbName() + "'");
        }
        if (query.kind() != null) {
            conditions.add("kind = " + Identifiers.literal(query.kind()));
        }
        if (query.beforeId() != null) {
            conditions.add("id < " + query.beforeId());
        }
        String sql = "SELECT " + COLUMNS + " FROM " + JOBS + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY id DESC LIMIT " + (query.limit() + 1);
        return run(connection -> {
            List<Job> jobs = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    jobs.add(job(rs));
                }
            }
            if (jobs.size() > query.limit()) {
                jobs = jobs.subList(0, query.limit());
                return new JobPage(jobs, jobs.get(jobs.size() - 1).id());
            }
            return new JobPage(jobs, null);
        });
    }

    @Override
    public QueueStats stats(Instant now) {
        return run(connection -> {
            Map<JobState, Long> byState = new EnumMap<>(JobState.class);
            for (JobState state : JobState.values()) {
                byState.put(state, 0L);
            }
            Map<String, Map<JobState, Long>> byKind = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT kind, state, count(*) FROM " + JOBS + " GROUP BY kind, state")) {
                while (rs.next()) {
                    JobState state = JobState.parse(rs.getString(2));
                    long count = rs.getLong(3);
                    byState.merge(state, count, Long::sum);
                    byKind.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(JobState.class)).put(state, count);
                }
            }
            long rescued;
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + ERRORS + " WHERE message = ?")) {
                statement.setString(1, JobError.LEASE_EXPIRED);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    rescued = rs.getLong(1);
                }
            }
            Duration oldest = Duration.ZERO;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT min(run_at) FROM " + JOBS + " WHERE state = 'pending' AND run_at <= ?")) {
                statement.setObject(1, utc(now));
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        Instant first = instant(rs, 1);
                        if (first != null) {
                            oldest = Duration.between(first, now);
                        }
                    }
                }
            }
            Map<String, Map<JobState, Long>> frozen = new LinkedHashMap<>();
            byKind.forEach((kind, counts) -> frozen.put(kind, Map.copyOf(counts)));
            return new QueueStats(byState, frozen, rescued, oldest);
        });
    }

    // ---------------------------------------------------------------- waking

    @Override
    public void awaitJobs(Duration max) throws InterruptedException {
        Runnable hook = beforeAwait;
        if (hook != null) {
            beforeAwait = null;
            hook.run();
        }
        signal.await(max);
    }

    @Override
    public void wake() {
        signal.fire();
    }

    @Override
    public void close() {
        signal.fire();
        for (AutoCloseable resource : closeWith) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debug("ignored failure closing {}", resource, e);
            }
        }
        connections.close();
    }

    // ---------------------------------------------------------------- helpers

    private void notifyPostgres() {
        if (dialect == Dialect.POSTGRES) {
            run(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_notify('" + CHANNEL + "', '')");
                }
                return null;
            });
        }
    }

    private record Fence(String owner, int attempt) {
    }

    private static Map<Fence, List<Long>> byFence(Collection<Lease> leases) {
        Map<Fence, List<Long>> groups = new LinkedHashMap<>();
        for (Lease lease : leases) {
            groups.computeIfAbsent(new Fence(lease.owner(), lease.attempt()), f -> new ArrayList<>()).add(lease.id());
        }
        return groups;
    }

    /** {@code WHERE id IN (…) AND attempt = n AND owner = ? AND state = 'from'}: the owner is parameter 2. */
    private static String fenced(Map.Entry<Fence, List<Long>> group, JobTransition transition) {
        return " WHERE id IN (" + joinIds(group.getValue()) + ") AND attempt = " + group.getKey().attempt()
                + " AND owner = ? AND state = '" + transition.from().dbName() + "'";
    }

    private static String joinIds(Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private void insertErrors(Connection connection, List<Map.Entry<Long, JobError>> errors) throws SQLException {
        if (errors.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + ERRORS + " (job_id, attempt, message, exception_class, occurred_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, JobError> entry : errors) {
                JobError error = entry.getValue();
                statement.setLong(1, entry.getKey());
                statement.setInt(2, error.attempt());
                statement.setString(3, error.message());
                statement.setString(4, error.exceptionClass());
                statement.setObject(5, utc(error.at()));
                if (errors.size() == 1) {
                    statement.executeUpdate();
                } else {
                    statement.addBatch();
                }
            }
            if (errors.size() > 1) {
                statement.executeBatch();
            }
        }
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), JobState.parse(rs.getString(5)),
                instant(rs, 6), rs.getInt(7), rs.getInt(8), rs.getString(9), rs.getString(10), instant(rs, 11),
                instant(rs, 12), instant(rs, 13), instant(rs, 14), rs.getInt(15), List.of());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private Session sessionOf(Connection connection) throws SQLException {
        Session session = CURRENT_SESSION.get();
        if (session == null || session.jdbc() != connection) {
            throw new SQLException("no DuckDB session for this connection");
        }
        return session;
    }

    private static final ThreadLocal<Session> CURRENT_SESSION = new ThreadLocal<>();

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    private <T> T run(Work<T> work) {
        return withConnection(work, false);
    }

    /** Runs {@code work} in one transaction. */
    private <T> T transaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connections instanceof DuckDbConnections duckdb) {
                    synchronized (duckdb.writeLock()) {
                        return withConnection(work, true);
                    }
                }
                return withConnection(work, true);
            } catch (SomaException e) {
                if (attempt < 10 && isConflict(e)) {
                    LOG.debug("write conflict in the job store; trying again", e);
                    pause(attempt);
                    continue;
                }
                throw e;
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 2 + attempt * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T withConnection(Work<T> work, boolean transactional) {
        Connections.Lent lent;
        try {
            lent = connections.acquire();
        } catch (IllegalStateException e) {
            throw new SomaException(ErrorCode.DATABASE_UNAVAILABLE, "job store " + description + ": " + e.getMessage(), e);
        }
        Connection connection = lent.connection();
        boolean broken = false;
        CURRENT_SESSION.set(lent.session());
        try {
            if (transactional) {
                connection.setAutoCommit(false);
            }
            T result = work.apply(connection);
            if (transactional) {
                connection.commit();
            }
            return result;
        } catch (SQLException e) {
            if (transactional) {
                rollbackQuietly(connection);
            }
            broken = isBroken(connection);
            throw new SomaException(ErrorCode.SQL_ERROR, "job store " + description + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            if (transactional) {
                rollbackQuietly(connection);
            }
            broken = isBroken(connection);
            throw e;
        } finally {
            CURRENT_SESSION.remove();
            if (transactional) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    broken = true;
                }
            }
            connections.release(lent, broken);
        }
    }

    private static boolean isBroken(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the transaction is gone already
        }
    }

    /** A write-write conflict between two transactions (DuckDB's optimistic concurrency, PostgreSQL's serialization). */
    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("Conflict on") || message.contains("conflict")
                    && message.contains("ransaction") || message.contains("could not serialize"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    /** The open transaction a {@link dev.soma.jobs.TransactionalJobHandler} writes in. */
    private static final class Transaction implements TransactionContext {
        private final Connections.Lent lent;
        private final Warehouse warehouse;

        Transaction(Connections.Lent lent, Warehouse warehouse) {
            this.lent = lent;
            this.warehouse = warehouse;
        }

        @Override
        public boolean isOn(Warehouse other) {
            return warehouse != null && warehouse == other;
        }

        @Override
        public Connection connection() {
            return lent.connection();
        }

        @Override
        public Session session() {
            if (lent.session() == null) {
                throw new UnsupportedOperationException("the PostgreSQL job store has no DuckDB session; use connection()");
            }
            return lent.session();
        }
    }
}
