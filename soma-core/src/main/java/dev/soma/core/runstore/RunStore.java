package dev.soma.core.runstore;

import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
    private static final String RUNS = Identifiers.qualify(SCHEMA, "runs");
    private static final String NODES = Identifiers.qualify(SCHEMA, "node_results");

    private final Session session;
    private boolean ready;

    public RunStore(Session session) {
        this.session = session;
    }

    /** Creates the schema and tables if they are missing. */
    public void ensureTables() {
        if (ready) {
            return;
        }
        session.createSchema(SCHEMA);
        session.execute(OWNER, "CREATE TABLE IF NOT EXISTS " + RUNS + " ("
                + "run_id VARCHAR PRIMARY KEY, command VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, "
                + "finished_at TIMESTAMP, status VARCHAR NOT NULL, nodes INTEGER, soma_version VARCHAR)");
        session.execute(OWNER, "CREATE TABLE IF NOT EXISTS " + NODES + " ("
                + "run_id VARCHAR NOT NULL, unique_id VARCHAR NOT NULL, name VARCHAR NOT NULL, "
                + "resource_type VARCHAR NOT NULL, status VARCHAR NOT NULL, rows_affected BIGINT, failures BIGINT, "
                + "started_at TIMESTAMP, duration_ms DOUBLE, message VARCHAR, compiled_path VARCHAR, "
                + "compiled_sql_checksum VARCHAR)");
        ready = true;
    }

    /** Records that a run has started. */
    public void runStarted(RunRecord run) {
        ensureTables();
        String sql = "INSERT INTO " + RUNS + " VALUES (?, ?, ?, NULL, ?, ?, ?)";
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
        ensureTables();
        session.inTransaction(OWNER, tx -> {
            withStatement("UPDATE " + RUNS + " SET finished_at = ?, status = ? WHERE run_id = ?", statement -> {
                statement.setObject(1, utc(finishedAt));
                statement.setString(2, status.label());
                statement.setString(3, runId);
                statement.executeUpdate();
            });
            tx.append(OWNER, SCHEMA, "node_results", appender -> {
                for (NodeRecord node : nodes) {
                    appender.beginRow()
                            .append(runId)
                            .append(node.uniqueId())
                            .append(node.name())
                            .append(node.resourceType())
                            .append(node.status())
                            .append(node.rowsAffected())
                            .append(node.failures());
                    if (node.startedAt() == null) {
                        appender.appendNull();
                    } else {
                        appender.append(utc(node.startedAt()));
                    }
                    appender.append(node.durationMillis())
                            .append(node.message())
                            .append(node.compiledPath())
                            .append(node.checksum())
                            .endRow();
                }
                return null;
            });
            return null;
        });
    }

    /** The most recent runs, newest first. */
    public List<RunRecord> recentRuns(int limit) {
        ensureTables();
        return session.queryList(OWNER, "SELECT run_id, command, started_at, finished_at, status, nodes, soma_version FROM "
                + RUNS + " ORDER BY started_at DESC LIMIT " + limit, rs -> new RunRecord(
                rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                RunStatus.ofLabel(rs.getString(5)), rs.getInt(6), rs.getString(7)));
    }

    /** How many nodes of run {@code runId} ended in each status ({@code success}, {@code pass}, …). */
    public Map<String, Integer> statusCounts(String runId) {
        ensureTables();
        Map<String, Integer> counts = new LinkedHashMap<>();
        session.queryList(OWNER, "SELECT status, count(*) FROM " + NODES + " WHERE run_id = " + Identifiers.literal(runId)
                + " GROUP BY status ORDER BY status", rs -> counts.put(rs.getString(1), rs.getInt(2)));
        return counts;
    }

    /** The run whose id is {@code idOrPrefix} or starts with it, if exactly one does. */
    public Optional<RunRecord> run(String idOrPrefix) {
        ensureTables();
        List<RunRecord> runs = session.queryList(OWNER, "SELECT run_id, command, started_at, finished_at, status, nodes, soma_version FROM "
                + RUNS + " WHERE starts_with(run_id, " + Identifiers.literal(idOrPrefix) + ") LIMIT 2", rs -> new RunRecord(
                rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                RunStatus.ofLabel(rs.getString(5)), rs.getInt(6), rs.getString(7)));
        return runs.size() == 1 ? Optional.of(runs.get(0)) : Optional.empty();
    }

    /** Every node of run {@code runId}, in the order they started. */
    public List<NodeRecord> nodeResults(String runId) {
        ensureTables();
        return session.queryList(OWNER, "SELECT unique_id, name, resource_type, status, rows_affected, failures, started_at, "
                + "duration_ms, message, compiled_path, compiled_sql_checksum FROM " + NODES + " WHERE run_id = "
                + Identifiers.literal(runId) + " ORDER BY started_at NULLS LAST, name", rs -> new NodeRecord(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                instant(rs.getTimestamp(7)), rs.getDouble(8), rs.getString(9), rs.getString(10), rs.getString(11)));
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
            throw new dev.soma.core.error.SqlExecutionException(OWNER, sql, e);
        }
    }
}
