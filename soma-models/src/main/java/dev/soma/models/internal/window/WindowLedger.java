package dev.soma.models.internal.window;

import dev.soma.core.engine.ColumnDefinition;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.WriteConflicts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * {@code soma_meta.windows}: one row per (model, window start), seed 003's fields. Every state move is
 * an UPDATE that names the states it expects ({@link WindowState#from}); zero rows updated means
 * another run got there first. Times are stored as UTC timestamps.
 *
 * <p>The SQL is the session's engine's: its names and types, the insert of missing rows and the update
 * from a list of rows ({@link Engine#insertMissing}, {@link Engine#updateFrom}). Where the engine has no
 * {@code UPDATE … RETURNING} the rows a statement moved are read back by the values it wrote; where it
 * reports no row count they are counted so; where each statement commits on its own (no transactions), a
 * write that lost a race to another commit is run again (each is a conditional update, safe to repeat).
 */
public final class WindowLedger {

    private static final String SCHEMA = "soma_meta";
    private static final String NAME = "windows";
    private static final SqlOwner OWNER = SqlOwner.soma("window ledger");
    private static final java.time.format.DateTimeFormatter LOCKED_AT =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Session session;
    private final Engine engine;
    private final String table;

    public WindowLedger(Session session) {
        this.session = session;
        this.engine = session.engine();
        this.table = engine.dialect().relation(SCHEMA, NAME);
    }

    /** Creates the ledger if it is not there. */
    public static void create(Session session) {
        if (session.relationExists(SCHEMA, NAME)) {
            return;
        }
        Engine engine = session.engine();
        String text = engine.dialect().typeString();
        // Two runs starting at once may both create: the loser of the catalog conflict tries again.
        retryingRaces(() -> session.execute(OWNER, engine.createSchema(SCHEMA)));
        retryingRaces(() -> session.execute(OWNER, engine.createTableIfMissing(engine.dialect().relation(SCHEMA, NAME), List.of(
                ColumnDefinition.required("model", text), ColumnDefinition.required("window_start", "TIMESTAMP"),
                ColumnDefinition.required("window_end", "TIMESTAMP"), ColumnDefinition.required("target_day", "DATE"),
                ColumnDefinition.required("interval_minutes", "BIGINT"), ColumnDefinition.required("status", text),
                ColumnDefinition.of("run_id", text), ColumnDefinition.of("locked_at", "TIMESTAMP"),
                ColumnDefinition.of("phase_completed", text), ColumnDefinition.of("source_count", "BIGINT"),
                ColumnDefinition.of("target_count", "BIGINT"), ColumnDefinition.of("difference", "BIGINT"),
                ColumnDefinition.of("percentage", "DOUBLE"), ColumnDefinition.of("audit_status", text),
                ColumnDefinition.of("audit_result", text), new ColumnDefinition("retry_attempt", "INTEGER", true, "0"),
                ColumnDefinition.of("error", text), ColumnDefinition.of("started_at", "TIMESTAMP"),
                ColumnDefinition.of("finished_at", "TIMESTAMP"), ColumnDefinition.of("elapsed_ms", "BIGINT"),
                ColumnDefinition.required("created_at", "TIMESTAMP"), ColumnDefinition.required("updated_at", "TIMESTAMP")),
                List.of("model", "window_start"))));
    }

    /** One ledger row, as listed by {@code soma windows}. */
    public record Row(String model, Instant start, Instant end, WindowState state, String runId, Instant lockedAt,
                      String phase, Long sourceCount, Long targetCount, Long difference, Double percentage,
                      String auditStatus, String auditResult, int attempt, String error, Instant updatedAt) {
    }

    /** Adds a PENDING row for each of {@code windows} that has none. */
    public void register(String model, WindowSpec spec, List<Window> windows, Instant now) {
        // One statement per batch of windows: a year of hourly windows is one round trip per thousand.
        for (int from = 0; from < windows.size(); from += 1000) {
            String insert = engine.insertMissing(table, List.of("model", "window_start"), List.of("model", "window_start",
                    "window_end", "target_day", "interval_minutes", "status", "retry_attempt", "created_at", "updated_at"),
                    registered(model, spec, windows.subList(from, Math.min(windows.size(), from + 1000)), now));
            retryingRaces(() -> session.execute(OWNER, insert));
        }
    }

    /**
     * The ledger rows of {@code windows}, as a query: one {@code VALUES} row per window holding only what cannot be
     * derived, the rest written once. The engine reads each literal on its own (DuckDB: ~0.1 ms each), so a year of
     * daily windows costs 365 literals, not 3,300; none where only the starts are needed and the engine makes them
     * as a series ({@link #startsOf}). Each derived column is used only where Java checked that it gives
     * every row's own value: the end is the next window's start (the windows are consecutive), the day the UTC date of
     * the start (the zone's date is the same), the minutes the same for all.
     */
    private String registered(String model, WindowSpec spec, List<Window> windows, Instant now) {
        boolean consecutive = true;
        boolean utcDays = true;
        long minutes = windows.get(0).length().toMinutes();
        boolean sameMinutes = true;
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            consecutive &= i == 0 || windows.get(i - 1).end().equals(window.start());
            utcDays &= window.start().atZone(spec.zone()).toLocalDate().equals(window.start().atZone(ZoneOffset.UTC).toLocalDate());
            sameMinutes &= window.length().toMinutes() == minutes;
        }
        List<String> names = new java.util.ArrayList<>(List.of("window_start"));
        if (!consecutive) {
            names.add("window_end");
        }
        if (!utcDays) {
            names.add("target_day");
        }
        if (!sameMinutes) {
            names.add("interval_minutes");
        }
        Dialect d = engine.dialect();
        String rowsOf;
        if (names.size() == 1) {
            rowsOf = startsOf(windows, "v");
        } else {
            List<String> rows = new java.util.ArrayList<>(windows.size());
            for (Window window : windows) {
                StringJoiner row = new StringJoiner(", ", "(", ")");
                row.add(window.startLiteral());
                if (!consecutive) {
                    row.add(window.endLiteral());
                }
                if (!utcDays) {
                    row.add("DATE '" + window.start().atZone(spec.zone()).toLocalDate() + "'");
                }
                if (!sameMinutes) {
                    row.add(Long.toString(window.length().toMinutes()));
                }
                rows.add(row.toString());
            }
            rowsOf = d.values(rows, "v", names);
        }
        String end = consecutive ? "lead(v.window_start, 1, " + windows.get(windows.size() - 1).endLiteral()
                + ") OVER (ORDER BY v.window_start)" : "v.window_end";
        return "SELECT " + lit(model) + " AS model, v.window_start AS window_start, " + end + " AS window_end, "
                + (utcDays ? d.cast("v.window_start", "DATE") : "v.target_day") + " AS target_day, "
                + (sameMinutes ? d.cast(Long.toString(minutes), "BIGINT") : "v.interval_minutes") + " AS interval_minutes, "
                + lit(WindowState.PENDING.name()) + " AS status, 0 AS retry_attempt, " + Window.literal(now) + " AS created_at, "
                + Window.literal(now) + " AS updated_at FROM " + rowsOf;
    }

    /**
     * The starts of {@code windows} as a relation {@code alias(window_start)}: the engine's series where the windows
     * are consecutive and of one length and the engine makes one, else a {@code VALUES} list of them.
     */
    private String startsOf(List<Window> windows, String alias) {
        String series = series(windows, alias, null);
        if (series != null) {
            return series;
        }
        List<String> rows = new java.util.ArrayList<>(windows.size());
        windows.forEach(window -> rows.add("(" + window.startLiteral() + ")"));
        return engine.dialect().values(rows, alias, List.of("window_start"));
    }

    /**
     * The starts of {@code windows} after {@code window_start IN}: a query of the engine's series where it makes one
     * ({@link #series}), else the list of their literals.
     */
    private String startsIn(List<Window> windows) {
        String series = series(windows, "s", null);
        if (series != null) {
            return "(SELECT window_start FROM " + series + ")";
        }
        StringJoiner starts = new StringJoiner(", ", "(", ")");
        windows.forEach(window -> starts.add(window.startLiteral()));
        return starts.toString();
    }

    /**
     * The engine's series of the starts of {@code windows}, with {@code numbers} (one a window) beside them in column
     * {@code n} when given; {@code null} when the windows are not consecutive of one length, or the engine makes none.
     */
    private String series(List<Window> windows, String alias, long[] numbers) {
        java.time.Duration length = windows.get(0).length();
        for (int i = 1; i < windows.size(); i++) {
            if (!windows.get(i - 1).end().equals(windows.get(i).start()) || !windows.get(i).length().equals(length)) {
                return null;
            }
        }
        String first = windows.get(0).startLiteral();
        String end = windows.get(windows.size() - 1).endLiteral();
        Dialect d = engine.dialect();
        return numbers == null ? d.timestampSeries(first, end, length, alias, "window_start")
                : d.timestampSeries(first, end, length, numbers, alias, "window_start", "n");
    }

    /** A lock released at the start of a run: the window, the run that held it, when and how far it got. */
    public record Released(Instant start, Instant end, String runId, Instant lockedAt, String phase) {
    }

    /**
     * Releases locks of {@code model} older than {@code staleBefore}: back to PENDING, attempt counted,
     * the reason kept in {@code error}. For stores where runs of several processes go on at once.
     *
     * @return the windows released
     */
    public List<Released> releaseStale(String model, Instant staleBefore, Instant now) {
        return releaseLocks(model, "locked_at < " + Window.literal(staleBefore), "stale lock of run ", "released by a later run", now);
    }

    /**
     * Releases every lock of {@code model} held by a run not in {@code live}: back to PENDING, attempt
     * counted, the reason kept in {@code error}. Only for a store that one process at a time writes (see
     * {@link LiveRuns}): there such a run is dead.
     *
     * @return the windows released
     */
    public List<Released> releaseDead(String model, java.util.Set<String> live, Instant now) {
        StringJoiner ids = new StringJoiner(", ", "(", ")");
        live.forEach(id -> ids.add(lit(id)));
        return releaseLocks(model, live.isEmpty() ? "true" : "(run_id IS NULL OR run_id NOT IN " + ids + ")", "lock of run ",
                "released by a later run: that run is not running any more (killed or crashed)", now);
    }

    /** Reads the IN_PROGRESS windows of {@code model} matching {@code condition}, then releases them, each run's at once. */
    private List<Released> releaseLocks(String model, String condition, String what, String why, Instant now) {
        String locked = " WHERE model = " + lit(model) + " AND status = " + lit(WindowState.IN_PROGRESS.name()) + " AND ";
        List<Released> found = session.queryList(OWNER, "SELECT window_start, window_end, run_id, locked_at, phase_completed FROM "
                + table + locked + condition + " ORDER BY window_start", rs -> new Released(instant(rs.getTimestamp(1)),
                instant(rs.getTimestamp(2)), rs.getString(3), instant(rs.getTimestamp(4)), rs.getString(5)));
        java.util.Map<String, List<Released>> byRun = new java.util.LinkedHashMap<>();
        found.forEach(r -> byRun.computeIfAbsent(r.runId() == null ? "?" : r.runId(), k -> new java.util.ArrayList<>()).add(r));
        List<Released> released = new java.util.ArrayList<>();
        for (var run : byRun.entrySet()) {
            StringJoiner starts = new StringJoiner(", ", "(", ")");
            run.getValue().forEach(r -> starts.add(Window.literal(r.start())));
            // The reason names the lock as it was read: a CASE on the window, so the text is built here, not in SQL.
            StringJoiner reasons = new StringJoiner(" ", "CASE window_start ", " END");
            run.getValue().forEach(r -> reasons.add("WHEN " + Window.literal(r.start()) + " THEN " + lit(what
                    + (r.runId() == null ? "?" : r.runId()) + " (locked at " + (r.lockedAt() == null ? "?"
                    : LOCKED_AT.format(r.lockedAt().atOffset(ZoneOffset.UTC))) + " UTC, phase "
                    + (r.phase() == null ? "none" : r.phase()) + ") " + why)));
            // The UPDATE names the state and holder it expects: a window that moved meanwhile stays as it is.
            String holder = run.getKey().equals("?") ? "run_id IS NULL" : "run_id = " + lit(run.getKey());
            List<Instant> moved = updatedStarts("UPDATE " + table + " SET status = " + lit(WindowState.PENDING.name())
                    + ", retry_attempt = retry_attempt + 1, error = " + reasons + ", run_id = NULL, locked_at = NULL, updated_at = "
                    + Window.literal(now) + locked + holder + " AND window_start IN " + starts,
                    "model = " + lit(model) + " AND window_start IN " + starts + " AND status = " + lit(WindowState.PENDING.name())
                    + " AND run_id IS NULL AND updated_at = " + Window.literal(now));
            run.getValue().stream().filter(r -> moved.contains(r.start())).forEach(released::add);
        }
        return released;
    }

    /**
     * The starts of the windows of {@code model} in [{@code from}, {@code to}) that a run takes: PENDING
     * and FAILED ones, and DONE ones starting in {@code again} (asked for again; {@code null}: none). One query.
     */
    public List<Instant> toProcess(String model, Instant from, Instant to, Instant againFrom, Instant againTo) {
        return session.queryList(OWNER, "SELECT window_start FROM " + table + " WHERE model = " + lit(model)
                + " AND window_start >= " + Window.literal(from) + " AND window_start < " + Window.literal(to)
                + " AND (" + takeable(againFrom, againTo) + ") ORDER BY window_start", rs -> instant(rs.getTimestamp(1)));
    }

    /**
     * Takes the locks on as many of {@code windows} as are free, in one statement (one commit): the
     * UPDATE names the states it expects, so a window another run holds or finished is left out.
     *
     * @return the starts of the windows now locked by {@code runId}
     */
    public java.util.Set<Instant> lockAll(String model, List<Window> windows, String runId, Instant againFrom,
                                          Instant againTo, Instant now) {
        if (windows.isEmpty()) {
            return java.util.Set.of();
        }
        String starts = startsIn(windows);
        String sql = "UPDATE " + table + " SET status = " + lit(WindowState.IN_PROGRESS.name()) + ", run_id = " + lit(runId)
                + ", locked_at = " + Window.literal(now) + ", phase_completed = 'locked', started_at = " + Window.literal(now)
                + ", updated_at = " + Window.literal(now) + " WHERE model = " + lit(model) + " AND window_start IN " + starts
                + " AND (" + takeable(againFrom, againTo) + ")";
        // Another run locked some of these at the same moment: try again; what it took is no longer free.
        return new java.util.HashSet<>(updatedStarts(sql, "model = " + lit(model) + " AND window_start IN " + starts
                + " AND status = " + lit(WindowState.IN_PROGRESS.name()) + " AND run_id = " + lit(runId)));
    }

    /** The runs holding locks on any of {@code windows}, by window start. */
    public java.util.Map<Instant, String> holders(String model, List<Window> windows) {
        if (windows.isEmpty()) {
            return java.util.Map.of();
        }
        StringJoiner starts = new StringJoiner(", ", "(", ")");
        windows.forEach(window -> starts.add(window.startLiteral()));
        java.util.Map<Instant, String> holders = new java.util.TreeMap<>();
        session.queryList(OWNER, "SELECT window_start, run_id FROM " + table + " WHERE model = " + lit(model)
                + " AND window_start IN " + starts + " AND status = " + lit(WindowState.IN_PROGRESS.name()), rs -> {
                    holders.put(instant(rs.getTimestamp(1)), rs.getString(2));
                    return null;
                });
        return holders;
    }

    /** The runs holding locks on windows of {@code model} starting in [{@code from}, {@code to}), by window start. */
    public java.util.Map<Instant, String> lockedIn(String model, Instant from, Instant to) {
        java.util.Map<Instant, String> holders = new java.util.TreeMap<>();
        session.queryList(OWNER, "SELECT window_start, run_id FROM " + table + " WHERE model = " + lit(model)
                + " AND window_start >= " + Window.literal(from) + " AND window_start < " + Window.literal(to)
                + " AND status = " + lit(WindowState.IN_PROGRESS.name()), rs -> {
                    holders.put(instant(rs.getTimestamp(1)), rs.getString(2) == null ? "?" : rs.getString(2));
                    return null;
                });
        return holders;
    }

    /**
     * Gives back locks of {@code runId} on windows it took but did not start (an earlier window of the
     * model failed): IN_PROGRESS → PENDING, no attempt counted, the reason kept.
     */
    public void release(String model, List<Window> windows, String runId, String reason, Instant now) {
        if (windows.isEmpty()) {
            return;
        }
        StringJoiner starts = new StringJoiner(", ", "(", ")");
        windows.forEach(window -> starts.add(window.startLiteral()));
        write("UPDATE " + table + " SET status = " + lit(WindowState.PENDING.name()) + ", error = "
                + lit(reason) + ", run_id = NULL, locked_at = NULL, updated_at = " + Window.literal(now)
                + " WHERE model = " + lit(model) + " AND window_start IN " + starts + " AND status = "
                + lit(WindowState.IN_PROGRESS.name()) + " AND run_id = " + lit(runId));
    }

    /**
     * IN_PROGRESS → DONE for several windows of the lock holder in one statement, each with its counts
     * and audit. Called inside the transaction that loads their rows.
     *
     * @return how many windows moved (fewer than given: this run lost a lock, and the caller rolls back)
     */
    public long doneAll(String model, List<Window> windows, List<Finish> finishes, String runId, Instant now) {
        List<String> rows = new java.util.ArrayList<>();
        StringJoiner starts = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < windows.size(); i++) {
            Finish finish = finishes.get(i);
            long difference = finish.sourceCount() - finish.targetCount();
            rows.add("(" + windows.get(i).startLiteral() + ", " + lit(finish.phase()) + ", " + finish.sourceCount() + ", "
                    + finish.targetCount() + ", " + difference + ", CAST(" + percentage(finish) + " AS DOUBLE), "
                    + lit(finish.auditPassed() ? "PASSED" : "FAILED") + ", " + lit(finish.auditResult()) + ", "
                    + finish.elapsedMs() + ")");
            starts.add(windows.get(i).startLiteral());
        }
        Dialect d = engine.dialect();
        String source = d.values(rows, "f", List.of("window_start", "phase", "source_count", "target_count", "difference",
                "percentage", "audit_status", "audit_result", "elapsed_ms"));
        return updated(engine.updateFrom(table, "w", source, "w.model = " + lit(model) + " AND w.window_start = f.window_start"
                + " AND w.status = " + lit(WindowState.IN_PROGRESS.name()) + " AND w.run_id = " + lit(runId),
                "status = " + lit(WindowState.DONE.name()) + ", phase_completed = f.phase, source_count = f.source_count, "
                + "target_count = f.target_count, difference = f.difference, percentage = f.percentage, "
                + "audit_status = f.audit_status, audit_result = f.audit_result, run_id = NULL, locked_at = NULL, "
                + "finished_at = " + Window.literal(now) + ", elapsed_ms = f.elapsed_ms, updated_at = " + Window.literal(now)),
                "model = " + lit(model) + " AND window_start IN " + starts + " AND status = " + lit(WindowState.DONE.name())
                        + " AND finished_at = " + Window.literal(now) + " AND updated_at = " + Window.literal(now));
    }

    /** The phase and audit of a window loaded into a target that had no row in it ({@link #firstLoad}). */
    private static final String LOADED = "loaded";
    private static final String EMPTY = "skipped: counts match";
    private static final String EMPTY_AUDIT = "source and target empty";
    private static final String[] AUDIT = {"source ", " rows, target ", " rows; the target had no row in the window before the load"};

    /**
     * The DONE of a window loaded into a target that had no row in it: the rows inserted are both counts
     * (inside the load's transaction the window held exactly those), so the audit passes. What
     * {@link #doneFirstLoads} writes in SQL, for one window.
     */
    static Finish firstLoad(long inserted, long elapsedMs) {
        return new Finish(inserted == 0 ? EMPTY : LOADED, inserted, inserted, true,
                inserted == 0 ? EMPTY_AUDIT : AUDIT[0] + inserted + AUDIT[1] + inserted + AUDIT[2], elapsedMs);
    }

    /**
     * {@link #doneAll} of windows loaded into a target that had no row in them ({@link #firstLoad} each), with
     * two values a window, start and rows: the rest is derived in the statement, so a year of daily windows
     * costs the engine 730 literals to read, not 3,300.
     *
     * @return how many windows moved (fewer than given: this run lost a lock, and the caller rolls back)
     */
    public long doneFirstLoads(String model, List<Window> windows, long[] rows, long elapsedMs, String runId, Instant now) {
        Dialect d = engine.dialect();
        String source = series(windows, "f", rows);
        if (source == null) {
            List<String> values = new java.util.ArrayList<>(windows.size());
            for (int i = 0; i < windows.size(); i++) {
                values.add("(" + windows.get(i).startLiteral() + ", " + rows[i] + ")");
            }
            source = d.values(values, "f", List.of("window_start", "n"));
        }
        String starts = startsIn(windows);
        String n = d.cast("f.n", d.typeString());
        String audit = "CASE WHEN f.n = 0 THEN " + lit(EMPTY_AUDIT) + " ELSE " + lit(AUDIT[0]) + " || " + n + " || " + lit(AUDIT[1])
                + " || " + n + " || " + lit(AUDIT[2]) + " END";
        return updated(engine.updateFrom(table, "w", source, "w.model = " + lit(model)
                + " AND w.window_start = f.window_start AND w.status = " + lit(WindowState.IN_PROGRESS.name()) + " AND w.run_id = "
                + lit(runId), "status = " + lit(WindowState.DONE.name()) + ", phase_completed = CASE WHEN f.n = 0 THEN " + lit(EMPTY)
                + " ELSE " + lit(LOADED) + " END, source_count = f.n, target_count = f.n, difference = 0, percentage = CAST(0 AS DOUBLE), "
                + "audit_status = 'PASSED', audit_result = " + audit + ", run_id = NULL, locked_at = NULL, finished_at = "
                + Window.literal(now) + ", elapsed_ms = " + elapsedMs + ", updated_at = " + Window.literal(now)),
                "model = " + lit(model) + " AND window_start IN " + starts + " AND status = " + lit(WindowState.DONE.name())
                        + " AND finished_at = " + Window.literal(now) + " AND updated_at = " + Window.literal(now));
    }

    private static String percentage(Finish finish) {
        long difference = finish.sourceCount() - finish.targetCount();
        return finish.sourceCount() == 0 ? (difference == 0 ? "0" : "NULL")
                : String.format(Locale.ROOT, "%.6f", 100.0 * Math.abs(difference) / finish.sourceCount());
    }

    /** The condition on a ledger row that a run may lock it: PENDING or FAILED, or DONE and asked for again. */
    private String takeable(Instant againFrom, Instant againTo) {
        String free = "status IN " + states(List.of(WindowState.PENDING, WindowState.FAILED));
        if (againFrom == null) {
            return free;
        }
        return free + " OR (status = " + lit(WindowState.DONE.name()) + " AND window_start >= " + Window.literal(againFrom)
                + " AND window_start < " + Window.literal(againTo) + ")";
    }

    /** Marks the phase reached by the lock holder. */
    public void phase(String model, Window window, String runId, String phase, Instant now) {
        write("UPDATE " + table + " SET phase_completed = " + lit(phase) + ", updated_at = "
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
        String percentage = percentage(finish);
        return updated("UPDATE " + table + " SET status = " + lit(WindowState.DONE.name())
                + ", phase_completed = " + lit(finish.phase()) + ", source_count = " + finish.sourceCount()
                + ", target_count = " + finish.targetCount() + ", difference = " + difference + ", percentage = " + percentage
                + ", audit_status = " + lit(finish.auditPassed() ? "PASSED" : "FAILED") + ", audit_result = "
                + lit(finish.auditResult()) + ", run_id = NULL, locked_at = NULL, finished_at = " + Window.literal(now)
                + ", elapsed_ms = " + finish.elapsedMs() + ", updated_at = " + Window.literal(now)
                + " WHERE model = " + lit(model) + " AND window_start = " + window.startLiteral()
                + " AND status IN " + states(WindowState.from(WindowState.DONE)) + " AND run_id = " + lit(runId),
                "model = " + lit(model) + " AND window_start = " + window.startLiteral() + " AND status = "
                        + lit(WindowState.DONE.name()) + " AND finished_at = " + Window.literal(now) + " AND updated_at = "
                        + Window.literal(now)) == 1;
    }

    /**
     * Records a re-audit of a DONE window (its state does not change): counts, difference, percentage
     * and the audit's verdict.
     *
     * @return false when the window is no longer DONE (a run took it meanwhile)
     */
    public boolean audited(String model, Window window, long sourceCount, long targetCount, boolean passed, String result,
                           Instant now) {
        Finish finish = new Finish(null, sourceCount, targetCount, passed, result, 0);
        return updated("UPDATE " + table + " SET source_count = " + sourceCount + ", target_count = "
                + targetCount + ", difference = " + (sourceCount - targetCount) + ", percentage = " + percentage(finish)
                + ", audit_status = " + lit(passed ? "PASSED" : "FAILED") + ", audit_result = " + lit(result)
                + ", updated_at = " + Window.literal(now) + " WHERE model = " + lit(model) + " AND window_start = "
                + window.startLiteral() + " AND status = " + lit(WindowState.DONE.name()),
                "model = " + lit(model) + " AND window_start = " + window.startLiteral() + " AND status = "
                        + lit(WindowState.DONE.name()) + " AND audit_result = " + lit(result) + " AND updated_at = "
                        + Window.literal(now)) == 1;
    }

    /** IN_PROGRESS → FAILED for the lock holder, the error kept and the attempt counted. */
    public void failed(String model, Window window, String runId, String error, Instant now) {
        write("UPDATE " + table + " SET status = " + lit(WindowState.FAILED.name())
                + ", error = " + lit(error) + ", retry_attempt = retry_attempt + 1, run_id = NULL, locked_at = NULL, "
                + "finished_at = " + Window.literal(now) + ", updated_at = " + Window.literal(now)
                + " WHERE model = " + lit(model) + " AND window_start = " + window.startLiteral()
                + " AND status IN " + states(WindowState.from(WindowState.FAILED)) + " AND run_id = " + lit(runId));
    }

    /**
     * Marks windows of {@code model} starting in [from, to) for re-processing (DONE or FAILED → PENDING;
     * with {@code force} locked ones too, their locks dropped: a run still holding one then fails to
     * record it and writes nothing of it).
     *
     * @return how many were reset
     */
    public long reset(String model, Instant from, Instant to, boolean force, Instant now) {
        List<WindowState> states = force ? List.of(WindowState.DONE, WindowState.FAILED, WindowState.IN_PROGRESS)
                : List.of(WindowState.DONE, WindowState.FAILED);
        String range = " AND window_start >= " + Window.literal(from) + " AND window_start < " + Window.literal(to);
        return updated("UPDATE " + table + " SET status = " + lit(WindowState.PENDING.name())
                + ", error = CASE WHEN status = " + lit(WindowState.IN_PROGRESS.name()) + " THEN 'lock of run ' || "
                + "coalesce(run_id, '?') || ' taken by reset --force' ELSE 'reset by hand' END, run_id = NULL, "
                + "locked_at = NULL, updated_at = " + Window.literal(now) + " WHERE model = " + lit(model) + range
                + " AND status IN " + states(states),
                "model = " + lit(model) + range + " AND status = " + lit(WindowState.PENDING.name()) + " AND run_id IS NULL"
                        + " AND updated_at = " + Window.literal(now));
    }

    /** How many windows of {@code model} starting in [from, to) are locked (IN_PROGRESS). */
    public long locked(String model, Instant from, Instant to) {
        return session.queryLong(OWNER, "SELECT count(*) FROM " + table + " WHERE model = " + lit(model)
                + " AND window_start >= " + Window.literal(from) + " AND window_start < " + Window.literal(to)
                + " AND status = " + lit(WindowState.IN_PROGRESS.name()));
    }

    /**
     * The ledger of {@code model} (or of every model when {@code null}): failures, then windows out of
     * audit, then locked and pending ones, then the rest; by model and start within each.
     */
    public List<Row> list(String model) {
        if (!session.relationExists(SCHEMA, NAME)) {
            return List.of();
        }
        return session.queryList(OWNER, "SELECT model, window_start, window_end, status, run_id, locked_at, phase_completed, "
                + "source_count, target_count, difference, percentage, audit_status, audit_result, retry_attempt, error, "
                + "updated_at FROM " + table + (model == null ? "" : " WHERE model = " + lit(model))
                + " ORDER BY CASE WHEN status = 'FAILED' THEN 0 WHEN audit_status = 'FAILED' THEN 1 "
                + "WHEN status = 'IN_PROGRESS' THEN 2 WHEN status = 'PENDING' THEN 3 ELSE 4 END, model, window_start",
                rs -> new Row(rs.getString(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                        WindowState.valueOf(rs.getString(4)), rs.getString(5), instant(rs.getTimestamp(6)), rs.getString(7),
                        longOrNull(rs, 8), longOrNull(rs, 9), longOrNull(rs, 10), doubleOrNull(rs, 11), rs.getString(12),
                        rs.getString(13), rs.getInt(14), rs.getString(15), instant(rs.getTimestamp(16))));
    }

    /**
     * Whether work on the ledger (or a windowed target) lost a race to another run: a write conflict
     * ({@link WriteConflicts}), or concurrent inserts of one key, which DuckDB reports as a duplicate key
     * even with {@code ON CONFLICT DO NOTHING}.
     */
    static boolean lostRace(Throwable failure) {
        return WriteConflicts.isWriteConflict(failure) || (failure instanceof SqlExecutionException e
                && e.databaseMessage() != null && e.databaseMessage().toLowerCase(Locale.ROOT).contains("duplicate key"));
    }

    /** Runs {@code work} again (up to 10 tries) while it loses a race ({@link #lostRace}); the loser tries again. */
    static long retryingRaces(LongSupplier work) {
        return WriteConflicts.retrying(10, WindowLedger::lostRace, work::getAsLong);
    }

    /** Runs a write; where each statement commits on its own, one that lost a race to another commit runs again. */
    private long write(String sql) {
        return engine.supportsTransactions() ? session.execute(OWNER, sql) : retryingRaces(() -> session.execute(OWNER, sql));
    }

    /**
     * Runs an UPDATE (or the engine's statement for one) and says how many rows it changed: its count, or,
     * where the engine reports none, the rows now holding what it wrote ({@code wrote}: a condition on
     * the values it set, among them this call's time).
     */
    private long updated(String update, String wrote) {
        long count = write(update);
        return count >= 0 ? count : session.queryLong(OWNER, "SELECT count(*) FROM " + table + " WHERE " + wrote);
    }

    /**
     * The starts of the windows an UPDATE moved: {@code RETURNING} them where the engine can, else read back
     * by {@code wrote}, a condition on the values it set. A lost race is run again.
     */
    private List<Instant> updatedStarts(String update, String wrote) {
        if (engine.supportsReturning()) {
            return WriteConflicts.retrying(20, WindowLedger::lostRace, () -> session.queryList(OWNER,
                    update + " RETURNING window_start", rs -> instant(rs.getTimestamp(1))));
        }
        WriteConflicts.retrying(20, WindowLedger::lostRace, () -> session.execute(OWNER, update));
        return session.queryList(OWNER, "SELECT window_start FROM " + table + " WHERE " + wrote + " ORDER BY window_start",
                rs -> instant(rs.getTimestamp(1)));
    }

    private String states(java.util.Collection<WindowState> states) {
        StringJoiner list = new StringJoiner(", ", "(", ")");
        states.forEach(state -> list.add(lit(state.name())));
        return list.toString();
    }

    private String lit(String value) {
        return value == null ? "NULL" : engine.dialect().literal(value);
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
