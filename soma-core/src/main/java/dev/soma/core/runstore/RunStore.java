package dev.soma.core.runstore;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Reads and writes {@code soma_meta.runs} and {@code soma_meta.node_results}.
 *
 * <p>A run is recorded as {@code running} when it starts and completed when it ends, so a killed run
 * stays visible as one that never finished. Node results are appended in one batch at the end.
 *
 * <p>Not thread-safe: use it from the thread that coordinates the run.
 */
public final class RunStore {

    /** The schema holding Soma's own state. */
    public static final String SCHEMA = "soma_meta";

    private static final SqlOwner OWNER = SqlOwner.soma("run store");

    private final Session session;
    /** {@code soma_meta.runs} and {@code soma_meta.node_results} as the session's engine names them. */
    private final String runs;
    private final String nodes;
    private final String nodeColumns;
    private boolean ready;

    public RunStore(Session session) {
        this.session = session;
        this.runs = session.engine().dialect().relation(SCHEMA, "runs");
        this.nodes = session.engine().dialect().relation(SCHEMA, "node_results");
        this.nodeColumns = "SELECT unique_id, name, resource_type, status, rows_affected, failures, "
                + "started_at, duration_ms, message, compiled_path, compiled_sql_checksum FROM " + nodes;
    }

    /** Creates the schema and tables if they are missing. */
    public void ensureTables() {
        if (ready) {
            return;
        }
        session.createSchema(SCHEMA);
        // The engine's string type, and constraints only where the engine has them (same DDL on DuckDB).
        boolean constraints = session.engine().supportsConstraints();
        String text = session.engine().dialect().typeString();
        String key = constraints ? " PRIMARY KEY" : "";
        String required = constraints ? " NOT NULL" : "";
        session.createIfMissing(OWNER, "CREATE TABLE IF NOT EXISTS " + runs + " ("
                + "run_id " + text + key + ", command " + text + required + ", started_at TIMESTAMP" + required + ", "
                + "finished_at TIMESTAMP, status " + text + required + ", nodes INTEGER, soma_version " + text + ")");
        session.createIfMissing(OWNER, "CREATE TABLE IF NOT EXISTS " + nodes + " ("
                + "run_id " + text + required + ", unique_id " + text + required + ", name " + text + required + ", "
                + "resource_type " + text + required + ", status " + text + required + ", rows_affected BIGINT, failures BIGINT, "
                + "started_at TIMESTAMP, duration_ms DOUBLE, message " + text + ", compiled_path " + text + ", "
                + "compiled_sql_checksum " + text + ")");
        ready = true;
    }

    /** Records that a run has started. */
    public void runStarted(RunRecord run) {
        ensureTables();
        String sql = "INSERT INTO " + runs + " VALUES (?, ?, ?, NULL, ?, ?, ?)";
        withStatement(sql, statement -> {
            statement.setString(1, run.runId());
            statement.setString(2, run.command());
            statement.setObject(3, utc(run.startedAt()));
            statement.setString(4, run.status().label());
            statement.setInt(5, run.nodes());
            statement.setString(6, run.somaVersion());
            statement.executeUpdate();
        });
    }

    /** Records the end of a run and its nodes, in one transaction. */
    public void runFinished(String runId, Instant finishedAt, RunStatus status, List<NodeRecord> nodes) {
        runFinished(runId, finishedAt, () -> status, nodes);
    }

    /**
     * Records the end of a run and its nodes, in one transaction, asking for the run's status only once its nodes are
     * written: what decides the status (the run's artifacts, written on another thread) goes on meanwhile.
     */
    public void runFinished(String runId, Instant finishedAt, Supplier<RunStatus> status, List<NodeRecord> nodes) {
        ensureTables();
        session.inTransaction(OWNER, tx -> {
            appendNodes(runId, nodes);
            RunStatus ended = status.get();
            withStatement("UPDATE " + runs + " SET finished_at = ?, status = ? WHERE run_id = ?", statement -> {
                statement.setObject(1, utc(finishedAt));
                statement.setString(2, ended.label());
                statement.setString(3, runId);
                statement.executeUpdate();
            });
            return null;
        });
    }

    private void appendNodes(String runId, List<NodeRecord> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        if (session.hasAppender()) {
            // DuckDB's appender, in the transaction: its driver runs a prepared batch row by row, and an
            // INSERT of literal rows spends its time binding them (10,000 nodes: seconds either way).
            append(nodes, runId);
            return;
        }
        // A batch of prepared rows, which every engine's driver takes (Spark's as one INSERT, one commit).
        withStatement("INSERT INTO " + this.nodes + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", statement -> {
            for (NodeRecord node : nodes) {
                statement.setString(1, runId);
                statement.setString(2, node.uniqueId());
                statement.setString(3, node.name());
                statement.setString(4, node.resourceType());
                statement.setString(5, node.status());
                statement.setLong(6, node.rowsAffected());
                statement.setLong(7, node.failures());
                statement.setObject(8, node.startedAt() == null ? null : utc(node.startedAt()));
                statement.setDouble(9, node.durationMillis());
                statement.setString(10, node.message());
                statement.setString(11, node.compiledPath());
                statement.setString(12, node.checksum());
                statement.addBatch();
            }
            statement.executeBatch();
        });
    }

    private void append(List<NodeRecord> records, String runId) {
        session.append(OWNER, SCHEMA, "node_results", appender -> {
            for (NodeRecord node : records) {
                appender.beginRow();
                appender.append(runId);
                appender.append(node.uniqueId());
                appender.append(node.name());
                appender.append(node.resourceType());
                appender.append(node.status());
                appender.append(node.rowsAffected());
                appender.append(node.failures());
                if (node.startedAt() == null) {
                    appender.appendNull();
                } else {
                    appender.append(utc(node.startedAt()));
                }
                if (Double.isFinite(node.durationMillis())) {
                    appender.append(node.durationMillis());
                } else {
                    appender.appendNull();
                }
                appendText(appender, node.message());
                appendText(appender, node.compiledPath());
                appendText(appender, node.checksum());
                appender.endRow();
            }
            return null;
        });
    }

    private static void appendText(org.duckdb.DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    /** How many nodes of run {@code runId} ended in each status ({@code success}, {@code pass}, …). Never writes. */
    public Map<String, Integer> statusCounts(String runId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!exists()) {
            return counts;
        }
        session.queryList(OWNER, "SELECT status, count(*) FROM " + nodes + " WHERE run_id = " + session.engine().dialect().literal(runId)
                + " GROUP BY status ORDER BY status", rs -> counts.put(rs.getString(1), rs.getInt(2)));
        return counts;
    }

    /**
     * Whether the run store's tables exist. The read methods below answer empty without them and never
     * create them, so they work inside a read-only transaction.
     */
    public boolean exists() {
        return session.relationExists(SCHEMA, "runs") && session.relationExists(SCHEMA, "node_results");
    }

    /** The newest {@code limit} runs, newest first; empty when nothing was ever run. Never writes. */
    public List<RunRecord> runs(int limit) {
        if (!exists()) {
            return List.of();
        }
        return session.queryList(OWNER, "SELECT run_id, command, started_at, finished_at, status, nodes, soma_version FROM "
                + runs + " ORDER BY started_at DESC, run_id LIMIT " + Math.max(0, limit), RunStore::runRecord);
    }

    /** The run whose id is {@code idOrPrefix} or starts with it, if exactly one does. Never writes. */
    public java.util.Optional<RunRecord> run(String idOrPrefix) {
        if (!exists()) {
            return java.util.Optional.empty();
        }
        List<RunRecord> found = new java.util.ArrayList<>();
        withStatement("SELECT run_id, command, started_at, finished_at, status, nodes, soma_version FROM " + runs
                + " WHERE substr(run_id, 1, length(?)) = ? LIMIT 2", statement -> {
            // substr and length read the same on every engine (DuckDB's starts_with is startswith on Spark).
            statement.setString(1, idOrPrefix);
            statement.setString(2, idOrPrefix);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(runRecord(rs));
                }
            }
        });
        return found.size() == 1 ? java.util.Optional.of(found.get(0)) : java.util.Optional.empty();
    }

    /** The node results of run {@code runId}, in start order. Never writes. */
    public List<NodeRecord> nodes(String runId) {
        if (!exists()) {
            return List.of();
        }
        List<NodeRecord> found = new java.util.ArrayList<>();
        withStatement(nodeColumns + " WHERE run_id = ? ORDER BY started_at NULLS LAST, unique_id", statement -> {
            statement.setString(1, runId);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(nodeRecord(rs));
                }
            }
        });
        return found;
    }

    /** Each node's most recent result over all runs, by unique id. Never writes. */
    public java.util.Map<String, NodeRecord> latestNodeResults() {
        return latestNodeResults(java.util.Set.of());
    }

    /**
     * Per node, its most recent recorded result, leaving out the results of {@code ignoredRuns} (whose
     * work never reached the database's live relations, so they say nothing about them).
     */
    public java.util.Map<String, NodeRecord> latestNodeResults(java.util.Collection<String> ignoredRuns) {
        if (!exists()) {
            return java.util.Map.of();
        }
        String where = "";
        if (!ignoredRuns.isEmpty()) {
            java.util.StringJoiner ids = new java.util.StringJoiner(", ", " WHERE run_id NOT IN (", ")");
            ignoredRuns.forEach(id -> ids.add(session.engine().dialect().literal(id)));
            where = ids.toString();
        }
        java.util.Map<String, NodeRecord> latest = new java.util.HashMap<>();
        session.queryList(OWNER, session.engine().firstPerGroup(nodeColumns + where, "unique_id",
                        "started_at DESC NULLS LAST"), RunStore::nodeRecord)
                .forEach(node -> latest.put(node.uniqueId(), node));
        return latest;
    }


    private static RunRecord runRecord(java.sql.ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                RunStatus.ofLabel(rs.getString(5)), rs.getInt(6), rs.getString(7));
    }

    private static NodeRecord nodeRecord(java.sql.ResultSet rs) throws SQLException {
        return new NodeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6), instant(rs.getTimestamp(7)), rs.getDouble(8), rs.getString(9), rs.getString(10),
                rs.getString(11));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    private interface StatementWork {
        void apply(PreparedStatement statement) throws SQLException;
    }

    private void withStatement(String sql, StatementWork work) {
        try (PreparedStatement statement = session.jdbc().prepareStatement(sql)) {
            work.apply(statement);
        } catch (SQLException e) {
            throw new dev.soma.core.error.SqlExecutionException(OWNER, session.engine().displayName(), sql, e, null);
        }
    }
}
