package dev.soma.models.internal.window;

import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * {@code soma_meta.windows}: one row per (model, window start), seed 003's fields. Every state move is
 * an UPDATE that names the states it expects ({@link WindowState#from}); zero rows updated means
 * another run got there first. Times are stored as UTC timestamps.
 */
public final class WindowLedger {

    public static final String TABLE = "soma_meta.windows";
    private static final SqlOwner OWNER = SqlOwner.soma("window ledger");

    private final Session session;

    public WindowLedger(Session session) {
        this.session = session;
    }

    /** Creates the ledger if it is not there. */
    public static void create(Session session) {
        if (session.relationExists("soma_meta", "windows")) {
            return;
        }
        // Two runs starting at once may both create: the loser of DuckDB's catalog conflict tries again.
        retryingConflicts(() -> session.execute(OWNER, "CREATE SCHEMA IF NOT EXISTS soma_meta"));
        retryingConflicts(() -> session.execute(OWNER, "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                + "model VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL, "
                + "target_day DATE NOT NULL, interval_minutes BIGINT NOT NULL, status VARCHAR NOT NULL, run_id VARCHAR, "
                + "locked_at TIMESTAMP, phase_completed VARCHAR, source_count BIGINT, target_count BIGINT, "
                + "difference BIGINT, percentage DOUBLE, audit_status VARCHAR, audit_result VARCHAR, "
                + "retry_attempt INTEGER NOT NULL DEFAULT 0, error VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, "
                + "elapsed_ms BIGINT, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, "
                + "PRIMARY KEY (model, window_start))"));
    }

    /** One ledger row, as listed by {@code soma windows}. */
    public record Row(String model, Instant start, Instant end, WindowState state, String runId, Instant lockedAt,
                      String phase, Long sourceCount, Long targetCount, Long difference, Double percentage,
                      String auditStatus, String auditResult, int attempt, String error, Instant updatedAt) {
    }

    /** Adds a PENDING row for each of {@code windows} that has none. */
    public void register(String model, WindowSpec spec, List<Window> windows, Instant now) {
        if (windows.isEmpty()) {
            return;
        }
        // One statement per batch of windows: a year of hourly windows is one round trip per thousand.
        for (int from = 0; from < windows.size(); from += 1000) {
            StringJoiner values = new StringJoiner(",\n");
            for (Window window : windows.subList(from, Math.min(windows.size(), from + 1000))) {
                values.add("(" + lit(model) + ", " + window.startLiteral() + ", " + window.endLiteral() + ", DATE '"
                        + window.start().atZone(spec.zone()).toLocalDate() + "', " + window.length().toMinutes() + ", "
                        + lit(WindowState.PENDING.name()) + ", 0, " + Window.literal(now) + ", " + Window.literal(now) + ")");
            }
            retryingConflicts(() -> session.execute(OWNER, "INSERT INTO " + TABLE
                    + " (model, window_start, window_end, target_day, interval_minutes, status, retry_attempt, created_at, updated_at) VALUES\n"
                    + values + "\nON CONFLICT DO NOTHING"));
        }
    }

    /**
     * Releases locks of {@code model} older than {@code staleBefore}: back to PENDING, attempt counted,
     * the reason kept in {@code error}.
     *
     * @return how many windows were released
     */
    public long releaseStale(String model, Instant staleBefore, Instant now) {
        return retryingConflicts(() -> session.execute(OWNER, "UPDATE " + TABLE + " SET status = "
                + lit(WindowState.PENDING.name()) + ", retry_attempt = retry_attempt + 1, error = 'stale lock of run ' || "
                + "coalesce(run_id, '?') || ' (locked at ' || strftime(locked_at, '%Y-%m-%d %H:%M:%S') || ' UTC, phase ' || "
                + "coalesce(phase_completed, 'none') || ') released by a later run', run_id = NULL, locked_at = NULL, "
                + "updated_at = " + Window.literal(now) + " WHERE model = " + lit(model) + " AND status IN "
                + states(WindowState.from(WindowState.PENDING)) + " AND status = " + lit(WindowState.IN_PROGRESS.name())
                + " AND locked_at < " + Window.literal(staleBefore)));
    }

    /** The windows of {@code model} among {@code windows} in a state that a run takes. */
    public List<Instant> claimable(String model, Instant from, Instant to, boolean rerun) {
        String states = rerun ? states(WindowState.from(WindowState.IN_PROGRESS))
                : states(List.of(WindowState.PENDING, WindowState.FAILED));
        return session.queryList(OWNER, "SELECT window_start FROM " + TABLE + " WHERE model = " + lit(model)
                + " AND window_start >= " + Window.literal(from) + " AND window_start < " + Window.literal(to)
                + " AND status IN " + states + " ORDER BY window_start", rs -> instant(rs.getTimestamp(1)));
    }

    /**
     * Takes the lock on one window for {@code runId}.
     *
     * @param rerun also take a DONE window (asked for again)
     * @return false when another run holds it or got it first
     */
    public boolean lock(String model, Window window, String runId, boolean rerun, Instant now) {
        String states = rerun ? states(WindowState.from(WindowState.IN_PROGRESS))
                : states(List.of(WindowState.PENDING, WindowState.FAILED));
        try {
            return session.execute(OWNER, "UPDATE " + TABLE + " SET status = " + lit(WindowState.IN_PROGRESS.name())
                    + ", run_id = " + lit(runId) + ", locked_at = " + Window.literal(now) + ", phase_completed = 'locked', "
                    + "started_at = " + Window.literal(now) + ", updated_at = " + Window.literal(now)
                    + " WHERE model = " + lit(model) + " AND window_start = " + window.startLiteral()
                    + " AND status IN " + states) == 1;
        } catch (SqlExecutionException e) {
            if (isConflict(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The run holding {@code window}'s lock, or {@code null}. */
    public String holder(String model, Window window) {
        List<String> holders = session.queryList(OWNER, "SELECT run_id FROM " + TABLE + " WHERE model = " + lit(model)
                + " AND window_start = " + window.startLiteral() + " AND status = " + lit(WindowState.IN_PROGRESS.name()),
                rs -> rs.getString(1));
        return holders.isEmpty() ? null : holders.get(0);
    }

    /** Marks the phase reached by the lock holder. */
    public void phase(String model, Window window, String runId, String phase, Instant now) {
        session.execute(OWNER, "UPDATE " + TABLE + " SET phase_completed = " + lit(phase) + ", updated_at = "
                + Window.literal(now) + " WHERE model = " + lit(model) + " AND window_start = " + window.startLiteral()
                + " AND status = " + lit(WindowState.IN_PROGRESS.name()) + " AND run_id = " + lit(runId));
    }

    /** What a finished window records. */
    public record Finish(String phase, long sourceCount, long targetCount, boolean auditPassed, String auditResult,
                         long elapsedMs) {
    }

    /**
     * IN_PROGRESS → DONE for the lock holder, with counts and audit. Called inside the transaction that
     * swaps the window's rows, so the rows and the ledger commit together.
     *
     * @return false when this run no longer holds the lock (then the caller rolls back)
     */
    public boolean done(String model, Window window, String runId, Finish finish, Instant now) {
        long difference = finish.sourceCount() - finish.targetCount();
        String percentage = finish.sourceCount() == 0 ? (difference == 0 ? "0" : "NULL")
                : String.format(Locale.ROOT, "%.6f", 100.0 * Math.abs(difference) / finish.sourceCount());
        return session.execute(OWNER, "UPDATE " + TABLE + " SET status = " + lit(WindowState.DONE.name())
                + ", phase_completed = " + lit(finish.phase()) + ", source_count = " + finish.sourceCount()
                + ", target_count = " + finish.targetCount() + ", difference = " + difference + ", percentage = " + percentage
                + ", audit_status = " + lit(finish.auditPassed() ? "PASSED" : "FAILED") + ", audit_result = "
                + lit(finish.auditResult()) + ", run_id = NULL, locked_at = NULL, finished_at = " + Window.literal(now)
                + ", elapsed_ms = " + finish.elapsedMs() + ", updated_at = " + Window.literal(now)
                + " WHERE model = " + lit(model) + " AND window_start = " + window.startLiteral()
                + " AND status IN " + states(WindowState.from(WindowState.DONE)) + " AND run_id = " + lit(runId)) == 1;
    }

    /** IN_PROGRESS → FAILED for the lock holder, the error kept and the attempt counted. */
    public void failed(String model, Window window, String runId, String error, Instant now) {
        session.execute(OWNER, "UPDATE " + TABLE + " SET status = " + lit(WindowState.FAILED.name())
                + ", error = " + lit(error) + ", retry_attempt = retry_attempt + 1, run_id = NULL, locked_at = NULL, "
                + "finished_at = " + Window.literal(now) + ", updated_at = " + Window.literal(now)
                + " WHERE model = " + lit(model) + " AND window_start = " + window.startLiteral()
                + " AND status IN " + states(WindowState.from(WindowState.FAILED)) + " AND run_id = " + lit(runId));
    }

    /**
     * Marks windows of {@code model} starting in [from, to) for re-processing (DONE or FAILED → PENDING).
     *
     * @return how many were reset
     */
    public long reset(String model, Instant from, Instant to, Instant now) {
        return session.execute(OWNER, "UPDATE " + TABLE + " SET status = " + lit(WindowState.PENDING.name())
                + ", error = 'reset by hand', updated_at = " + Window.literal(now) + " WHERE model = " + lit(model)
                + " AND window_start >= " + Window.literal(from) + " AND window_start < " + Window.literal(to)
                + " AND status IN " + states(List.of(WindowState.DONE, WindowState.FAILED)));
    }

    /**
     * The ledger of {@code model} (or of every model when {@code null}): failures, then windows out of
     * audit, then locked and pending ones, then the rest; by model and start within each.
     */
    public List<Row> list(String model) {
        if (!session.relationExists("soma_meta", "windows")) {
            return List.of();
        }
        return session.queryList(OWNER, "SELECT model, window_start, window_end, status, run_id, locked_at, phase_completed, "
                + "source_count, target_count, difference, percentage, audit_status, audit_result, retry_attempt, error, "
                + "updated_at FROM " + TABLE + (model == null ? "" : " WHERE model = " + lit(model))
                + " ORDER BY CASE WHEN status = 'FAILED' THEN 0 WHEN audit_status = 'FAILED' THEN 1 "
                + "WHEN status = 'IN_PROGRESS' THEN 2 WHEN status = 'PENDING' THEN 3 ELSE 4 END, model, window_start",
                rs -> new Row(rs.getString(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                        WindowState.valueOf(rs.getString(4)), rs.getString(5), instant(rs.getTimestamp(6)), rs.getString(7),
                        longOrNull(rs, 8), longOrNull(rs, 9), longOrNull(rs, 10), doubleOrNull(rs, 11), rs.getString(12),
                        rs.getString(13), rs.getInt(14), rs.getString(15), instant(rs.getTimestamp(16))));
    }

    static boolean isConflict(SqlExecutionException e) {
        String text = e.databaseMessage() == null ? "" : e.databaseMessage().toLowerCase(Locale.ROOT);
        // Concurrent inserts of one key surface as a duplicate key even with ON CONFLICT DO NOTHING.
        return text.contains("conflict") || text.contains("duplicate key");
    }

    /** DuckDB reports two transactions writing one row as a conflict; the loser tries again. */
    static long retryingConflicts(java.util.function.LongSupplier work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.getAsLong();
            } catch (SqlExecutionException e) {
                if (!isConflict(e) || attempt >= 10) {
                    throw e;
                }
                try {
                    Thread.sleep(5L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String states(java.util.Collection<WindowState> states) {
        StringJoiner list = new StringJoiner(", ", "(", ")");
        states.forEach(state -> list.add(lit(state.name())));
        return list.toString();
    }

    private static String lit(String value) {
        return value == null ? "NULL" : Identifiers.literal(value);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

}
