package dev.soma.jobs.internal;

import dev.soma.jobs.Job;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobTransition;
import dev.soma.jobs.Lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The queue's tables as every store sees them: names, columns, how a row becomes a {@link Job}, and the SQL
 * fragments both databases read alike ({@code soma_meta.jobs}, one row per job; {@code soma_meta.job_errors},
 * every error of every attempt). Times are stored as UTC {@code TIMESTAMP}s. Stateless.
 */
final class JobTables {

    /** The schema of every queue table, on both stores. */
    static final String SCHEMA = "soma_meta";
    static final String JOBS = SCHEMA + ".jobs";
    static final String ERRORS = SCHEMA + ".job_errors";
    static final String SEQUENCE = SCHEMA + ".jobs_id_seq";

    static final String COLUMNS = "id, kind, payload, priority, state, run_at, attempt, max_attempts, unique_key, "
            + "owner, lease_expires_at, created_at, started_at, finished_at, error_count";
    /** The states in which a job holds its unique key. */
    static final String LIVE_STATES = "('pending', 'processing', 'completed')";
    static final String FINISHED_STATES = "('completed', 'failed', 'cancelled')";

    /** {@code SET} items of a job that lost its attempt: retried, or dead-lettered ({@code failed}) on its last one. */
    static final String RETRY_OR_DEAD_LETTER = "state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'pending' END, "
            + "finished_at = CASE WHEN attempt >= max_attempts THEN ? ELSE NULL END, "
            + "lease_expires_at = NULL, error_count = error_count + 1";

    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private JobTables() {
    }

    /** The tables, in a dialect's text type, with an id column constraint ({@code NOT NULL} or {@code PRIMARY KEY}). */
    static List<String> tables(String text, String idConstraint) {
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
                "CREATE SEQUENCE IF NOT EXISTS " + SEQUENCE,
                "CREATE TABLE IF NOT EXISTS " + JOBS + " ("
                        + "id BIGINT " + idConstraint + ", kind " + text + " NOT NULL, payload " + text + " NOT NULL, "
                        + "priority INTEGER NOT NULL, state " + text + " NOT NULL, run_at TIMESTAMP NOT NULL, "
                        + "attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL, unique_key " + text + ", "
                        + "owner " + text + ", lease_expires_at TIMESTAMP, created_at TIMESTAMP NOT NULL, "
                        + "started_at TIMESTAMP, finished_at TIMESTAMP, error_count INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + ERRORS + " ("
                        + "job_id BIGINT NOT NULL, attempt INTEGER NOT NULL, message " + text + " NOT NULL, "
                        + "exception_class " + text + ", occurred_at TIMESTAMP NOT NULL)");
    }

    /** The claim's {@code SET} items: processing, one more attempt, leased to {@code owner} until {@code expires}. */
    static String claimSet(String owner, Instant now, Instant expires) {
        return "state = 'processing', attempt = attempt + 1, owner = " + dev.soma.core.warehouse.Identifiers.literal(owner)
                + ", lease_expires_at = " + timestamp(expires) + ", started_at = " + timestamp(now);
    }

    /** The fence of a worker's write: the owner and the attempt it holds. */
    record Fence(String owner, int attempt) {
    }

    /** The leases grouped by fence, so one statement writes each group. */
    static Map<Fence, List<Long>> byFence(Collection<Lease> leases) {
        Map<Fence, List<Long>> groups = new LinkedHashMap<>();
        for (Lease lease : leases) {
            groups.computeIfAbsent(new Fence(lease.owner(), lease.attempt()), f -> new ArrayList<>()).add(lease.id());
        }
        return groups;
    }

    /** {@code WHERE id IN (…) AND attempt = n AND owner = ? AND state = 'from'}: the owner is a parameter. */
    static String fenced(Map.Entry<Fence, List<Long>> group, JobTransition transition) {
        return " WHERE id IN (" + joinIds(group.getValue()) + ") AND attempt = " + group.getKey().attempt()
                + " AND owner = ? AND state = '" + transition.from().dbName() + "'";
    }

    static String joinIds(Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Records errors, each with the job it belongs to, on {@code connection}'s transaction. */
    static void insertErrors(Connection connection, List<Map.Entry<Long, JobError>> errors) throws SQLException {
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

    /** The job in the current row, read as {@link #COLUMNS}, without its errors. */
    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), JobState.parse(rs.getString(5)),
                instant(rs, 6), rs.getInt(7), rs.getInt(8), rs.getString(9), rs.getString(10), instant(rs, 11),
                instant(rs, 12), instant(rs, 13), instant(rs, 14), rs.getInt(15), List.of());
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A TIMESTAMP literal (UTC, microseconds) both databases read. */
    static String timestamp(Instant instant) {
        return "TIMESTAMP '" + TIMESTAMP_TEXT.format(utc(instant)) + "'";
    }

    /** The first line of a driver's message, for one-line errors. */
    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
