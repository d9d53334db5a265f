package dev.soma.models.internal.window;

import dev.soma.core.error.SomaException;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.Relation;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.project.ModelNode;

import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Builds one windowed model for one run: release stale locks, register the due windows, then for each
 * window to process, in order: lock, pre-check (source and target counts and checksums), stage, swap
 * (delete + insert with one predicate, and the ledger's DONE, in one transaction), audit, unlock.
 * A failure marks its window FAILED and stops this model's later windows.
 */
public final class WindowedBuild {

    /** Which windows a run is asked to process again, whatever their state: [from, to), or all. */
    public record Rerun(Instant from, Instant to) {
        public static final Rerun ALL = new Rerun(Instant.MIN, Instant.MAX);

        boolean covers(Window window) {
            return !window.start().isBefore(from) && window.start().isBefore(to);
        }
    }

    /** What a run did to a model's windows. */
    public record Summary(int loaded, int skippedMatching, int lockedElsewhere, int failed, int released, long rows,
                          List<String> notes, SomaException error) {

        public String message() {
            StringBuilder text = new StringBuilder("WINDOWED (").append(loaded).append(" loaded, ")
                    .append(skippedMatching).append(" skipped: counts match");
            if (lockedElsewhere > 0) {
                text.append(", ").append(lockedElsewhere).append(" locked by another run");
            }
            if (released > 0) {
                text.append(", ").append(released).append(" stale lock").append(released == 1 ? "" : "s").append(" released");
            }
            if (failed > 0) {
                text.append(", ").append(failed).append(" failed");
            }
            return text.append("; ").append(String.format(Locale.ROOT, "%,d", rows)).append(rows == 1 ? " row)" : " rows)").toString();
        }
    }

    private final ModelNode model;
    private final WindowSpec spec;
    private final Function<Window, CompiledModel> compile;
    private final String runId;
    private final Instant now;
    private final Clock clock;
    private final Rerun rerun;
    private final SqlOwner owner;

    /**
     * @param compile compiles the model for one window
     * @param now     the run's "now", fixed once per run
     * @param rerun   windows asked for again ({@code --windows}, {@code --full-refresh}), or {@code null}
     */
    public WindowedBuild(ModelNode model, Function<Window, CompiledModel> compile, String runId, Instant now, Clock clock,
                         Rerun rerun) {
        this.model = model;
        this.spec = WindowSpec.of(model.name(), model.path(), model.config());
        this.compile = compile;
        this.runId = runId;
        this.now = now;
        this.clock = clock;
        this.rerun = rerun;
        this.owner = SqlOwner.model(model.name());
    }

    public Summary run(Session session) {
        WindowLedger.create(session);
        WindowLedger ledger = new WindowLedger(session);
        long released = ledger.releaseStale(model.name(), now.minus(spec.staleLockAfter()), now);
        List<Window> due = spec.dueWindows(now);
        ledger.register(model.name(), spec, due, now);
        Relation target = model.relation();
        List<String> notes = new ArrayList<>();
        int loaded = 0;
        int skipped = 0;
        int locked = 0;
        long rows = 0;
        if (due.isEmpty()) {
            return new Summary(0, 0, 0, 0, (int) released, 0, List.of("no window is due yet (first window ends "
                    + spec.window(0, now).end() + ", lag " + spec.lag() + ")"), null);
        }
        ensureTarget(session, target, due.get(0));
        int processed = 0;
        for (Window window : due) {
            boolean again = rerun != null && rerun.covers(window);
            if (spec.maxWindowsPerRun() > 0 && processed >= spec.maxWindowsPerRun()) {
                notes.add("stopped after max_windows_per_run = " + spec.maxWindowsPerRun() + "; the next run goes on");
                break;
            }
            if (!ledger.lock(model.name(), window, runId, again, clock.instant())) {
                String holder = ledger.holder(model.name(), window);
                if (holder != null && !holder.equals(runId)) {
                    locked++;
                    notes.add("window " + window + " skipped: locked by run " + holder);
                }
                continue;
            }
            processed++;
            long started = System.nanoTime();
            try {
                WindowOutcome outcome = process(session, ledger, target, window, started);
                if (outcome.loaded) {
                    loaded++;
                    rows += outcome.rows;
                } else {
                    skipped++;
                }
            } catch (SomaException e) {
                String error = e.getMessage();
                try {
                    ledger.failed(model.name(), window, runId, error, clock.instant());
                } catch (SomaException ignored) {
                    // the lock goes stale and the next run releases it
                }
                notes.add("window " + window + " failed; later windows of " + model.name() + " wait for the next run");
                return new Summary(loaded, skipped, locked, 1, (int) released, rows, notes, e);
            }
        }
        return new Summary(loaded, skipped, locked, 0, (int) released, rows, notes, null);
    }

    private record WindowOutcome(boolean loaded, long rows) {
    }

    private WindowOutcome process(Session session, WindowLedger ledger, Relation target, Window window, long started) {
        CompiledModel compiled = compile.apply(window);
        String predicate = Identifiers.quote(spec.eventTime()) + " >= " + window.startLiteral() + " AND "
                + Identifiers.quote(spec.eventTime()) + " < " + window.endLiteral();
        String source = "SELECT * FROM (\n" + compiled.sql() + "\n) AS soma_window_source WHERE " + predicate;
        String inTarget = "SELECT * FROM " + target.quoted() + " WHERE " + predicate;
        try {
            Stats sourceStats = stats(session, source);
            Stats targetStats = stats(session, inTarget);
            if (sourceStats.equals(targetStats)) {
                boolean ok = ledger.done(model.name(), window, runId, new WindowLedger.Finish("skipped: counts match",
                        sourceStats.count, targetStats.count, true, "counts and checksums match",
                        (System.nanoTime() - started) / 1_000_000), clock.instant());
                if (!ok) {
                    throw new SomaException(dev.soma.core.error.ErrorCode.INTERNAL, "lost the lock on window " + window);
                }
                return new WindowOutcome(false, 0);
            }
            String stage = "soma_window_stage";
            session.execute(owner, "CREATE OR REPLACE TEMP TABLE " + stage + " AS\n" + source);
            ledger.phase(model.name(), window, runId, "staged", clock.instant());
            long inserted = session.inTransaction(owner, tx -> {
                tx.execute(owner, "DELETE FROM " + target.quoted() + " WHERE " + predicate);
                long count = tx.execute(owner, "INSERT INTO " + target.quoted() + " BY NAME SELECT * FROM " + stage
                        + " WHERE " + predicate);
                long stagedCount = tx.queryLong(owner, "SELECT count(*) FROM " + stage + " WHERE " + predicate);
                long targetCount = tx.queryLong(owner, "SELECT count(*) FROM " + target.quoted() + " WHERE " + predicate);
                boolean passed = spec.auditPasses(stagedCount, targetCount);
                String audit = "source " + stagedCount + " rows, target " + targetCount + " rows"
                        + (spec.auditTolerance() == 0 ? " (exact)" : " (tolerance " + spec.auditTolerance() + "%)")
                        + "; before the load the target had " + targetStats.count + " rows"
                        + (targetStats.count == sourceStats.count ? " with a different checksum" : "");
                boolean ok = ledger.done(model.name(), window, runId, new WindowLedger.Finish("loaded", stagedCount,
                        targetCount, passed, audit, (System.nanoTime() - started) / 1_000_000), clock.instant());
                if (!ok) {
                    throw new SomaException(dev.soma.core.error.ErrorCode.INTERNAL, "lost the lock on window " + window
                            + " (a later run released it as stale); nothing of this window was written");
                }
                return count;
            });
            session.execute(owner, "DROP TABLE IF EXISTS " + stage);
            return new WindowOutcome(true, inserted);
        } catch (SqlExecutionException e) {
            throw new ModelExecutionException(owner, null, e.sql(), e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getMessage(), e));
        }
    }

    private record Stats(long count, BigInteger checksum) {
    }

    private Stats stats(Session session, String sql) {
        return session.query(owner, "SELECT count(*), coalesce(sum(hash(soma_row)), 0)::VARCHAR FROM (\n" + sql
                + "\n) AS soma_row", rs -> {
            rs.next();
            return new Stats(rs.getLong(1), new BigInteger(rs.getString(2)));
        });
    }

    /** Creates the target empty from the model's columns, and checks that {@code event_time} is one of them. */
    private void ensureTarget(Session session, Relation target, Window first) {
        CompiledModel compiled = compile.apply(first);
        try {
            if (!session.relationExists(target.schema(), target.identifier())) {
                // Another run may be creating it too: the loser of the catalog conflict tries again.
                WindowLedger.retryingConflicts(() -> session.execute(owner, "CREATE SCHEMA IF NOT EXISTS "
                        + Identifiers.quote(target.schema())));
                WindowLedger.retryingConflicts(() -> session.execute(owner, "CREATE TABLE IF NOT EXISTS " + target.quoted()
                        + " AS SELECT * FROM (\n" + compiled.sql() + "\n) AS soma_window_source LIMIT 0"));
            }
            List<String> columns = session.queryList(owner, "SELECT column_name FROM information_schema.columns WHERE "
                    + "table_schema = " + Identifiers.literal(target.schema()) + " AND table_name = "
                    + Identifiers.literal(target.identifier()) + " ORDER BY ordinal_position", rs -> rs.getString(1));
            if (!columns.contains(spec.eventTime())) {
                throw new ProjectException(SourceLocation.of(model.path()), "windowed model " + model.name()
                        + " has event_time '" + spec.eventTime() + "', which is not a column of its output (columns: "
                        + String.join(", ", columns) + "); select it in the model or set event_time to one of these");
            }
        } catch (SqlExecutionException e) {
            throw new ModelExecutionException(owner, null, e.sql(), e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getMessage(), e));
        }
    }
}
