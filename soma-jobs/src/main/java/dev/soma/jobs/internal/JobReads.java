package dev.soma.jobs.internal;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobPage;
import dev.soma.jobs.JobQuery;
import dev.soma.jobs.JobState;
import dev.soma.jobs.QueueStats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.soma.jobs.internal.JobTables.COLUMNS;
import static dev.soma.jobs.internal.JobTables.ERRORS;
import static dev.soma.jobs.internal.JobTables.JOBS;
import static dev.soma.jobs.internal.JobTables.instant;
import static dev.soma.jobs.internal.JobTables.job;
import static dev.soma.jobs.internal.JobTables.utc;

/** The stores' reads (a job, a page, the stats): the same SQL on every database. Stateless. */
final class JobReads {

    private JobReads() {
    }

    /** One job with its full error history. */
    static Optional<Job> find(Connection connection, long id) throws SQLException {
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
    }

    /** A page of jobs, newest first. */
    static JobPage list(Connection connection, JobQuery query) throws SQLException {
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
    }

    /** Counts per state and kind, rescues, and how long the oldest due job has waited. */
    static QueueStats stats(Connection connection, Instant now) throws SQLException {
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
    }
}
