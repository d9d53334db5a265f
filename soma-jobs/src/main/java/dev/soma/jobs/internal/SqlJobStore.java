package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.WriteConflicts;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.soma.jobs.internal.JobTables.COLUMNS;
import static dev.soma.jobs.internal.JobTables.ERRORS;
import static dev.soma.jobs.internal.JobTables.FINISHED_STATES;
import static dev.soma.jobs.internal.JobTables.JOBS;
import static dev.soma.jobs.internal.JobTables.LIVE_STATES;
import static dev.soma.jobs.internal.JobTables.RETRY_OR_DEAD_LETTER;
import static dev.soma.jobs.internal.JobTables.SEQUENCE;
import static dev.soma.jobs.internal.JobTables.byFence;
import static dev.soma.jobs.internal.JobTables.fenced;
import static dev.soma.jobs.internal.JobTables.insertErrors;
import static dev.soma.jobs.internal.JobTables.joinIds;
import static dev.soma.jobs.internal.JobTables.timestamp;
import static dev.soma.jobs.internal.JobTables.utc;

/**
 * What the job stores share: the statements both databases run alike, on {@link JobTables}, and the
 * connection and transaction handling. Each database is a subclass ({@link DuckDbJobStore},
 * {@link PostgresJobStore}) that supplies only what differs: its tables and indexes, how ids are allocated and
 * rows inserted, the claim, how other processes hear of new jobs, which writes must not overlap, and what a
 * handler's transaction offers. No statement here names a database.
 *
 * <p>Every statement that moves a job names the state it expects ({@link JobTransition#from()}) and, for a
 * worker's writes, the fence (id, attempt, owner), so a lost race updates zero rows. Writes for many jobs go in
 * one statement per (owner, attempt) group: {@code … WHERE id IN (…) AND attempt = ? AND owner = ? AND state =
 * 'processing'}. A transaction that loses a write race ({@link WriteConflicts}) is run again, up to 10 tries.
 */
public abstract class SqlJobStore implements JobStore {

    /** Tries of a transaction that keeps losing write races before its conflict is thrown. */
    private static final int TRIES = 10;

    private final Transactions transactions;
    private final String description;
    private final Signal signal = new Signal();

    protected SqlJobStore(Connections connections, String description) {
        this.transactions = new Transactions(connections, description, TRIES);
        this.description = description;
    }

    // ---------------------------------------------------------------- what each database supplies

    /** Creates the schema, sequence, tables and indexes, each when missing. */
    protected abstract List<String> ddl();

    /** A relation of {@code count} rows to draw that many ids from the sequence. */
    protected abstract String rows(int count);

    /**
     * Inserts the {@code chosen} jobs with {@code ids} (in order), created at {@code created}, in {@code lent}'s
     * transaction; returns the ids that went in (a unique key another transaction took meanwhile is skipped).
     */
    protected abstract Set<Long> insert(Connections.Lent lent, List<NewJob> jobs, List<Integer> chosen, long[] ids,
                                        LocalDateTime created) throws SQLException;

    /**
     * The statement that claims {@code due} (a query of the due pending ids, in order, limited) with the
     * {@code set} items and returns the claimed rows as {@link JobTables#COLUMNS}.
     */
    protected abstract String claimStatement(String due, String set);

    /** Tells other processes that jobs are due, on {@code connection}'s transaction (when it commits). */
    protected abstract void announce(Connection connection) throws SQLException;

    /** Runs {@code work} where no other write of this JVM to the jobs table overlaps it, if the database needs that. */
    protected abstract <T, E extends Exception> T exclusive(Guarded<T, E> work) throws E;

    /** What a transactional handler writes in: {@code lent}'s open transaction. */
    protected abstract TransactionContext handlerTransaction(Connections.Lent lent);

    /** A piece of work run by {@link #exclusive}. */
    @FunctionalInterface
    protected interface Guarded<T, E extends Exception> {
        T run() throws E;
    }

    // ---------------------------------------------------------------- set-up

    @Override
    public String describe() {
        return description;
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

    // ---------------------------------------------------------------- enqueue

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs, Instant now) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<EnqueueResult> results = transactionWith(lent -> {
            Connection connection = lent.connection();
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
            Set<Long> inserted = toInsert.isEmpty() ? Set.of() : insert(lent, jobs, toInsert, ids, utc(now));
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
            if (!toInsert.isEmpty()) {
                announce(connection);
            }
            return List.of(out);
        });
        signal.fire();
        return results;
    }

    private static Map<String, Long> liveHolders(Connection connection, Collection<String> keys) throws SQLException {
        Map<String, Long> holders = new HashMap<>();
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
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT nextval('" + SEQUENCE + "') FROM " + rows(count))) {
            int n = 0;
            while (rs.next()) {
                ids[n++] = rs.getLong(1);
            }
        }
        Arrays.sort(ids);
        return ids;
    }

    // ---------------------------------------------------------------- claim and finish

    @Override
    public List<Job> claim(String owner, int limit, Set<String> kinds, Instant now, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        String kindFilter = kinds.isEmpty() ? "" : " AND kind IN ("
                + kinds.stream().sorted().map(Identifiers::literal).collect(Collectors.joining(", ")) + ")";
        String due = "SELECT id FROM " + JOBS + " WHERE state = '" + JobTransition.CLAIM.from().dbName() + "' AND run_at <= "
                + timestamp(now) + kindFilter + " ORDER BY priority, run_at, id LIMIT " + limit;
        // Plain statements with literals: DuckDB plans a prepared statement with a long IN list slowly.
        String sql = claimStatement(due, JobTables.claimSet(owner, now, now.plus(lease)));
        List<Job> claimed = transaction(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                List<Job> jobs = new ArrayList<>();
                while (rs.next()) {
                    jobs.add(JobTables.job(rs));
                }
                return jobs;
            }
        });
        claimed.sort(Comparator.comparingInt(Job::priority).thenComparing(Job::runAt).thenComparingLong(Job::id));
        return claimed;
    }

    @Override
    public List<Long> complete(Collection<Lease> leases, Instant now) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return transaction(connection -> {
            List<Long> done = new ArrayList<>();
            for (Map.Entry<JobTables.Fence, List<Long>> group : byFence(leases).entrySet()) {
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

    @Override
    public boolean completeWith(Lease lease, Instant now, TransactionalEffect effect) throws Exception {
        return transactions.withEffect(lent -> {
            effect.run(handlerTransaction(lent));
            Connection connection = lent.connection();
            // The job's row is written and committed like every other write to the jobs table (heartbeats,
            // claims): on DuckDB a heartbeat that met this transaction's uncommitted version of the row failed
            // with "Conflict on update" and lost its round.
            return this.<Boolean, SQLException>exclusive(() -> {
                if (completeFenced(connection, List.of(lease), now).isEmpty()) {
                    connection.rollback();
                    return false;
                }
                connection.commit();
                return true;
            });
        });
    }

    @Override
    public List<Long> completeWith(Collection<Lease> leases, Instant now, BatchEffect effect) throws Exception {
        if (leases.isEmpty()) {
            return List.of();
        }
        // the whole transaction at once: nothing else of this JVM writes the jobs table meanwhile (where that matters)
        return exclusive(() -> transactions.withEffect(lent -> {
            List<Long> held = completeFenced(lent.connection(), leases, now);
            if (!held.isEmpty()) {
                effect.run(held, handlerTransaction(lent));
            }
            lent.connection().commit();
            return held;
        }));
    }

    /** Completes the leases whose fence holds, one statement per fence, on {@code connection}'s transaction; their ids. */
    private static List<Long> completeFenced(Connection connection, Collection<Lease> leases, Instant now) throws SQLException {
        List<Long> done = new ArrayList<>();
        for (Map.Entry<JobTables.Fence, List<Long>> group : byFence(leases).entrySet()) {
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
        String sql = "UPDATE " + JOBS + " SET " + RETRY_OR_DEAD_LETTER
                + ", run_at = CASE WHEN attempt >= max_attempts THEN run_at ELSE ? END"
                + " WHERE id = " + lease.id() + " AND attempt = " + lease.attempt() + " AND owner = ? AND state = '"
                + JobTransition.FAIL.from().dbName() + "' RETURNING state";
        return transaction(connection -> {
            String state = null;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(error.at()));
                statement.setObject(2, utc(retryAt));
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
        return updateFenced(leases, JobTransition.COMPLETE, "lease_expires_at = ?", now.plus(lease));
    }

    @Override
    public int release(Collection<Lease> leases, Instant now) {
        int released = updateFenced(leases, JobTransition.RELEASE,
                "state = 'pending', attempt = attempt - 1, run_at = ?, lease_expires_at = NULL", now);
        if (!leases.isEmpty()) {
            signal.fire();
        }
        return released;
    }

    /** {@code UPDATE jobs SET set} on the leases whose fence holds in {@code transition}'s from-state; how many. */
    private int updateFenced(Collection<Lease> leases, JobTransition transition, String set, Instant at) {
        if (leases.isEmpty()) {
            return 0;
        }
        return transaction(connection -> {
            int count = 0;
            for (Map.Entry<JobTables.Fence, List<Long>> group : byFence(leases).entrySet()) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "UPDATE " + JOBS + " SET " + set + fenced(group, transition))) {
                    statement.setObject(1, utc(at));
                    statement.setString(2, group.getKey().owner());
                    count += statement.executeUpdate();
                }
            }
            return count;
        });
    }

    @Override
    public List<Long> rescueExpired(Instant now) {
        return rescue("lease_expires_at < ?", now, utc(now));
    }

    /**
     * Every processing job matching {@code condition} (one parameter, {@code value}) goes back to pending due
     * {@code now}, or to failed on its last attempt, with the error {@value JobError#LEASE_EXPIRED}; their ids.
     */
    protected List<Long> rescue(String condition, Instant now, Object value) {
        String sql = "UPDATE " + JOBS + " SET " + RETRY_OR_DEAD_LETTER + ", run_at = ?"
                + " WHERE state = '" + JobTransition.RESCUE.from().dbName() + "' AND " + condition + " RETURNING id, attempt";
        List<Long> rescued = transaction(connection -> {
            List<Map.Entry<Long, JobError>> errors = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(now));
                statement.setObject(2, utc(now));
                statement.setObject(3, value);
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
            int count;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, utc(now));
                count = statement.executeUpdate();
            }
            if (count > 0) {
                announce(connection);
            }
            return count;
        });
        if (moved > 0) {
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
        return run(connection -> JobReads.find(connection, id));
    }

    @Override
    public JobPage list(JobQuery query) {
        return run(connection -> JobReads.list(connection, query));
    }

    @Override
    public QueueStats stats(Instant now) {
        return run(connection -> JobReads.stats(connection, now));
    }

    // ---------------------------------------------------------------- waking

    @Override
    public void awaitJobs(Duration max) throws InterruptedException {
        signal.await(max);
    }

    @Override
    public void wake() {
        signal.fire();
    }

    @Override
    public void close() {
        signal.fire();
        transactions.close();
    }

    // ---------------------------------------------------------------- connections and transactions

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    private <T> T run(Transactions.Work<T> work) {
        return transactions.autoCommit(lent -> work.apply(lent.connection()));
    }

    /** Runs {@code work} in one transaction, again while it loses a write race ({@link WriteConflicts}). */
    private <T> T transaction(Transactions.Work<T> work) {
        return transactionWith(lent -> work.apply(lent.connection()));
    }

    private <T> T transactionWith(Transactions.LentWork<T> work) {
        return WriteConflicts.retrying(TRIES, () -> exclusive(() -> transactions.inTransaction(work)));
    }
}
