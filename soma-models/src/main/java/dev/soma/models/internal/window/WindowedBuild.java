package dev.soma.models.internal.window;

import dev.soma.core.engine.Column;
import dev.soma.core.engine.Engine;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.Relation;
import dev.soma.models.api.WindowNotice;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.WindowConfigException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.project.ModelNode;

import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds one windowed model for one run: release stale locks, register the due windows, then process
 * the windows to do, in order, in batches of consecutive windows spread over up to {@code threads}
 * connections.
 *
 * <p>A first build whose windows may all be loaded set-based (consecutive, the target has no row in their
 * span, the model's query allows it: {@link BatchedFirstBuild}) locks all of them in one statement and loads
 * them in one transaction: one {@code INSERT} for every row, one {@code GROUP BY} for the counts, one ledger
 * statement. If another run took some of them meanwhile, or that load rolls back, the windows it locked go on
 * batch by batch as below, without being locked again; those no worker starts are given back.
 *
 * <p>Otherwise a batch is locked in one statement. When the target holds no row in the batch's span (windows
 * never loaded, the common case) and the model's query allows it, the batch is loaded
 * <em>set-based</em> ({@link BatchedFirstBuild}): one statement for all its rows, one {@code GROUP BY}
 * for each window's count, DONE for all, in one transaction. Else, with the span empty, the batch is
 * loaded on the <em>fast path</em>: in one transaction,
 * one {@code INSERT … WHERE <window predicate>} per window and the ledger's DONE for all of them, so
 * either every window of the batch is in or none is (without transactions: one {@code INSERT} of every
 * window's rows, one commit, then the DONE). Otherwise, and whenever the fast path fails,
 * each window of the batch takes the <em>careful path</em>: pre-check (source and target counts and
 * checksums), stage, then delete + insert + DONE in one transaction, with the same predicate.
 *
 * <p>A failing window is marked FAILED with its error. No window that starts after it is begun
 * afterwards: the later windows of its batch, and the batches no worker has taken yet, are left (or
 * given back) PENDING for the next run. Batches already being processed by other workers when the
 * failure happens finish and record what they did: those windows are DONE, or FAILED with their own error.
 *
 * <p>Thread safety: one instance per model and run; {@link #run} uses the given session on the calling
 * thread and each further connection on a thread of its own.
 */
public final class WindowedBuild {

    /** Windows per batch at most: one lock statement and one load transaction each. */
    static final int MAX_BATCH = 64;
    private static final String STAGE = "soma_window_stage";
    private static final int MAX_NOTES = 5;

    /** Which windows a run is asked to process again, whatever their state: [from, to), or all. */
    public record Rerun(Instant from, Instant to) {
        public static final Rerun ALL = new Rerun(Instant.MIN, Instant.MAX);
    }

    /**
     * What a run did to a model's windows.
     *
     * @param notices the windows found locked: skipped (a live run holds them) or released and re-done (a dead
     *                or stale run held them), each with why
     */
    public record Summary(int loaded, int skippedMatching, int lockedElsewhere, int failed, int released, long rows,
                          List<String> notes, SomaException error, List<WindowNotice> notices) {

        public String message() {
            StringBuilder text = new StringBuilder("WINDOWED (").append(loaded).append(" loaded, ")
                    .append(skippedMatching).append(" skipped: counts match");
            if (lockedElsewhere > 0) {
                text.append(", ").append(lockedElsewhere).append(" locked by another run");
            }
            if (released > 0) {
                text.append(", ").append(released).append(" lock").append(released == 1 ? "" : "s")
                        .append(" of dead or stale runs released and re-done");
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
    private final int threads;
    private final Supplier<Session> sessions;
    private final SqlOwner owner;
    private final boolean oneWriterProcess;
    /** Whether batches of never-loaded windows may be loaded set-based ({@link BatchedFirstBuild}); tests turn it off. */
    private boolean setBased = true;
    /** Batches loaded set-based in this run, for tests that check which way a batch went. */
    private final AtomicInteger setBasedBatches = new AtomicInteger();

    /**
     * @param compile  compiles the model for one window; called from several threads
     * @param now      the run's "now", fixed once per run
     * @param rerun    windows asked for again ({@code --windows}, {@code --full-refresh}), or {@code null}
     * @param threads  connections the windows may be spread over (at least 1)
     * @param sessions opens a further connection to the same database (closed here); {@code null}: one connection
     */
    public WindowedBuild(ModelNode model, Function<Window, CompiledModel> compile, String runId, Instant now, Clock clock,
                         Rerun rerun, int threads, Supplier<Session> sessions) {
        this(model, compile, runId, now, clock, rerun, threads, sessions, true);
    }

    /**
     * @param oneWriterProcess whether one process at a time writes the store (DuckDB: the file is held by one
     *                         process): then a lock whose run is not live in this JVM ({@link LiveRuns}) is
     *                         released at the start of the run, and a live run's lock never is; else (runs of
     *                         several processes at once) a lock older than {@code stale_lock_after} is released
     */
    public WindowedBuild(ModelNode model, Function<Window, CompiledModel> compile, String runId, Instant now, Clock clock,
                         Rerun rerun, int threads, Supplier<Session> sessions, boolean oneWriterProcess) {
        this.oneWriterProcess = oneWriterProcess;
        this.model = model;
        this.spec = WindowSpec.of(model.name(), model.path(), model.config());
        this.compile = compile;
        this.runId = runId;
        this.now = now;
        this.clock = clock;
        this.rerun = rerun;
        this.threads = sessions == null ? 1 : Math.max(1, threads);
        this.sessions = sessions;
        this.owner = SqlOwner.model(model.name());
    }

    /** What the workers found, gathered from several threads. */
    private final class Tally {
        int loaded;
        int skipped;
        int locked;
        int failed;
        long rows;
        final List<String> notes = new ArrayList<>();
        int lockedNotes;
        final List<WindowNotice> notices = new ArrayList<>();
        /** The earliest window that failed: nothing starting after it is begun any more. */
        Window firstFailure;
        SomaException error;

        synchronized void loaded(long count) {
            if (count == 0) {
                skipped++;
            } else {
                loaded++;
                rows += count;
            }
        }

        synchronized void skipped() {
            skipped++;
        }

        synchronized void lockedBy(Window window, String holder) {
            locked++;
            notices.add(new WindowNotice(model.name(), window.start(), window.end(), WindowNotice.Action.SKIPPED_LOCKED,
                    holder, "run " + holder + " holds its lock and is still running; a later run takes the window"));
            if (lockedNotes++ < MAX_NOTES) {
                notes.add("window " + window + " skipped: locked by run " + holder + ", which is still running");
            }
        }

        synchronized void failed(Window window, SomaException e) {
            failed++;
            if (firstFailure == null || window.start().isBefore(firstFailure.start())) {
                firstFailure = window;
                error = e;
            }
        }

        /** Whether {@code window} may still begin: no window before it has failed. */
        synchronized boolean mayBegin(Window window) {
            return firstFailure == null || window.start().isBefore(firstFailure.start());
        }
    }

    /** Loads every window on its own (the per-window fast and careful paths only): for tests comparing the two. */
    WindowedBuild oneByOne() {
        setBased = false;
        return this;
    }

    /** How many batches {@link #run} loaded set-based ({@link BatchedFirstBuild}). */
    int setBasedBatches() {
        return setBasedBatches.get();
    }

    public Summary run(Session session) {
        // Live while it builds: another run (of this JVM) starting meanwhile leaves this run's locks alone.
        try (LiveRuns.Entry live = LiveRuns.enter(runId)) {
            return runLive(session);
        }
    }

    private Summary runLive(Session session) {
        WindowLedger.create(session);
        WindowLedger ledger = new WindowLedger(session);
        List<WindowLedger.Released> releasedLocks = oneWriterProcess
                ? LiveRuns.releasingDead(liveRuns -> ledger.releaseDead(model.name(), liveRuns, now))
                : ledger.releaseStale(model.name(), now.minus(spec.staleLockAfter()), now);
        int released = releasedLocks.size();
        List<WindowNotice> releasedNotices = new ArrayList<>();
        for (WindowLedger.Released lock : releasedLocks) {
            releasedNotices.add(new WindowNotice(model.name(), lock.start(), lock.end(), WindowNotice.Action.RELEASED_REDONE,
                    lock.runId(), (oneWriterProcess ? "run " + lock.runId() + " is not running any more (killed or crashed)"
                    : "its lock went stale (older than stale_lock_after " + spec.staleLockAfter() + ")")
                    + "; it had locked the window at " + lock.lockedAt() + " and reached phase " + lock.phase()
                    + "; released, pending again, loaded anew by this run"));
        }
        List<Window> due = spec.dueWindows(now);
        if (due.isEmpty()) {
            return new Summary(0, 0, 0, 0, released, 0, List.of("no window is due yet (first window ends "
                    + spec.window(0, now).end() + ", lag " + spec.lag() + ")"), null, releasedNotices);
        }
        ledger.register(model.name(), spec, due, now);
        Relation target = model.relation();
        String eventTimeType = ensureTarget(session, target, due.get(0));
        BatchedFirstBuild batched = setBased
                ? new BatchedFirstBuild(model.name(), spec, compile, runId, clock, owner, eventTimeType) : null;

        Instant dueFrom = due.get(0).start();
        Instant dueTo = due.get(due.size() - 1).end();
        Instant againFrom = rerun == null ? null : max(rerun.from(), dueFrom);
        Instant againTo = rerun == null ? null : min(rerun.to(), dueTo);
        if (againFrom != null && !againFrom.isBefore(againTo)) {
            againFrom = null;
            againTo = null;
        }
        Set<Instant> starts = Set.copyOf(ledger.toProcess(model.name(), dueFrom, dueTo, againFrom, againTo));
        List<Window> todo = new ArrayList<>(starts.size());
        for (Window window : due) {
            if (starts.contains(window.start())) {
                todo.add(window);
            }
        }
        Tally tally = new Tally();
        tally.notices.addAll(releasedNotices);
        // Windows another run holds now are not among those to process: said here, not skipped silently.
        Map<Instant, String> heldElsewhere = ledger.lockedIn(model.name(), dueFrom, dueTo);
        for (Window window : due) {
            String holder = heldElsewhere.get(window.start());
            if (holder != null && !holder.equals(runId)) {
                tally.lockedBy(window, holder);
            }
        }
        // Taken since the list of windows to do was read: said once, above, and not tried again.
        todo.removeIf(window -> heldElsewhere.containsKey(window.start()));
        if (spec.maxWindowsPerRun() > 0 && todo.size() > spec.maxWindowsPerRun()) {
            todo = todo.subList(0, spec.maxWindowsPerRun());
            tally.notes.add("stopped after max_windows_per_run = " + spec.maxWindowsPerRun() + "; the next run goes on");
        }
        List<List<Window>> batches = batches(todo);
        // A first build whose windows may all be loaded set-based: locked at once and loaded in one statement.
        boolean prelocked = false;
        if (batched != null && consecutive(todo)) {
            String query = batched.firstBuildQuery(session, target, todo);
            if (query != null) {
                List<Window> locked = lock(session, ledger, todo, againFrom, againTo, tally);
                if (locked.equals(todo)) {
                    BatchedFirstBuild.Result result = batched.load(session, ledger, target, locked, query);
                    if (result.outcome() == BatchedFirstBuild.Outcome.LOADED) {
                        for (long count : result.rows()) {
                            tally.loaded(count);
                        }
                        setBasedBatches.incrementAndGet();
                        locked = List.of();
                    }
                }
                // Not all locked (another run took some), or rolled back: the windows locked go on batch by batch.
                batches = batches(locked);
                prelocked = true;
            }
        }
        int workers = Math.min(threads, batches.size());
        AtomicInteger next = new AtomicInteger();
        Instant lockFrom = againFrom;
        Instant lockTo = againTo;
        Runnable[] work = new Runnable[workers];
        List<Throwable> crashes = Collections.synchronizedList(new ArrayList<>());
        List<Thread> running = new ArrayList<>();
        boolean alreadyLocked = prelocked;
        List<List<Window>> toDo = batches;
        for (int w = 0; w < workers; w++) {
            boolean own = w > 0;
            work[w] = () -> {
                Session worker = own ? sessions.get() : session;
                try {
                    WindowLedger workerLedger = own ? new WindowLedger(worker) : ledger;
                    for (int b = next.getAndIncrement(); b < toDo.size(); b = next.getAndIncrement()) {
                        List<Window> batch = toDo.get(b);
                        if (!tally.mayBegin(batch.get(0))) {
                            if (alreadyLocked) {
                                notStarted(workerLedger, batch, tally);
                            }
                            break;
                        }
                        process(worker, workerLedger, target, alreadyLocked ? batch
                                : lock(worker, workerLedger, batch, lockFrom, lockTo, tally), tally, batched);
                    }
                } catch (RuntimeException | Error e) {
                    crashes.add(e);
                } finally {
                    if (own) {
                        worker.close();
                    }
                }
            };
        }
        for (int w = 1; w < workers; w++) {
            Thread thread = new Thread(work[w], Thread.currentThread().getName() + "-window-" + w);
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }
        if (workers > 0) {
            work[0].run();
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SomaException(ErrorCode.INTERNAL, "interrupted while the windows of " + model.name() + " ran");
            }
        }
        if (alreadyLocked) {
            // Locked at the start but never taken by a worker (an earlier window failed): given back.
            for (int b = next.get(); b < toDo.size(); b++) {
                notStarted(ledger, toDo.get(b), tally);
            }
        }
        for (Throwable crash : crashes) {
            // A worker stopped outside any one window (the ledger or a connection failed): the windows it had
            // locked stay IN_PROGRESS until a later run releases them as stale; say so.
            tally.notes.add("a window worker stopped: " + crash.getMessage() + "; windows it had locked are released "
                    + (oneWriterProcess ? "by the next run" : "as stale locks by a run after stale_lock_after ("
                    + spec.staleLockAfter() + ")"));
        }
        if (!crashes.isEmpty()) {
            Throwable first = crashes.get(0);
            if (first instanceof Error e) {
                throw e;
            }
            if (tally.error == null) {
                tally.error = first instanceof SomaException e ? e
                        : new SomaException(ErrorCode.INTERNAL, "window worker of " + model.name() + " failed: " + first, first);
            }
        }
        if (tally.firstFailure != null) {
            tally.notes.add("window " + tally.firstFailure + " failed; later windows of " + model.name()
                    + " wait for the next run");
        }
        if (tally.lockedNotes > MAX_NOTES) {
            tally.notes.add("… and " + (tally.lockedNotes - MAX_NOTES) + " more windows locked by other runs");
        }
        if (!releasedNotices.isEmpty()) {
            tally.notes.add(0, released + " window" + (released == 1 ? "" : "s") + " re-done: "
                    + releasedNotices.get(0).describe() + (released > 1 ? " (and " + (released - 1) + " more)" : ""));
        }
        return new Summary(tally.loaded, tally.skipped, tally.locked, tally.failed, released, tally.rows,
                List.copyOf(tally.notes), tally.error, List.copyOf(tally.notices));
    }

    /** Consecutive windows, at most {@link #MAX_BATCH} each, and at least as many batches as threads when possible. */
    private List<List<Window>> batches(List<Window> todo) {
        int size = Math.max(1, Math.min(MAX_BATCH, (todo.size() + threads - 1) / threads));
        List<List<Window>> batches = new ArrayList<>();
        for (int from = 0; from < todo.size(); from += size) {
            batches.add(todo.subList(from, Math.min(todo.size(), from + size)));
        }
        return batches;
    }

    /**
     * Locks as many of {@code batch} as are free in one statement; those another run holds are counted in
     * {@code tally}.
     *
     * @return the windows of {@code batch} now locked by this run, in order
     */
    private List<Window> lock(Session session, WindowLedger ledger, List<Window> batch, Instant againFrom, Instant againTo,
                              Tally tally) {
        Set<Instant> lockedStarts = ledger.lockAll(model.name(), batch, runId, againFrom, againTo, clock.instant());
        List<Window> locked = new ArrayList<>(lockedStarts.size());
        List<Window> notLocked = new ArrayList<>();
        for (Window window : batch) {
            (lockedStarts.contains(window.start()) ? locked : notLocked).add(window);
        }
        if (!notLocked.isEmpty()) {
            Map<Instant, String> holders = ledger.holders(model.name(), notLocked);
            for (Window window : notLocked) {
                String holder = holders.get(window.start());
                if (holder != null && !holder.equals(runId)) {
                    tally.lockedBy(window, holder);
                }
            }
        }
        return locked;
    }

    /** Gives back windows this run locked but did not start, because an earlier window failed. */
    private void notStarted(WindowLedger ledger, List<Window> windows, Tally tally) {
        try {
            ledger.release(model.name(), windows, runId, "not started: an earlier window " + tally.firstFailure
                    + " failed in run " + runId, clock.instant());
        } catch (SomaException ignored) {
            // the locks go stale and the next run releases them
        }
    }

    /** Loads {@code locked} (windows of one batch, in order, locked by this run) the fastest way that applies. */
    private void process(Session session, WindowLedger ledger, Relation target, List<Window> locked, Tally tally,
                         BatchedFirstBuild batched) {
        if (locked.isEmpty()) {
            return;
        }
        BatchedFirstBuild.Outcome setBasedOutcome = BatchedFirstBuild.Outcome.NOT_SET_BASED;
        if (batched != null && tally.mayBegin(locked.get(0)) && consecutive(locked)) {
            BatchedFirstBuild.Result result = batched.load(session, ledger, target, locked);
            if (result.outcome() == BatchedFirstBuild.Outcome.LOADED) {
                for (long count : result.rows()) {
                    tally.loaded(count);
                }
                setBasedBatches.incrementAndGet();
                return;
            }
            setBasedOutcome = result.outcome();
        }
        // Rolled back (rows in the span, or a failure): the per-window fast path would be too; each window checks.
        if (setBasedOutcome == BatchedFirstBuild.Outcome.NOT_SET_BASED && fastPath(session, ledger, target, locked, tally)) {
            return;
        }
        // Windows found matching are marked DONE together, in one statement at the end of the batch (or
        // before it stops): a re-check of many unchanged windows costs one commit per batch, not per window.
        List<Window> matched = new ArrayList<>();
        List<WindowLedger.Finish> matchedFinishes = new ArrayList<>();
        try {
            for (int i = 0; i < locked.size(); i++) {
                Window window = locked.get(i);
                if (!tally.mayBegin(window)) {
                    ledger.release(model.name(), locked.subList(i, locked.size()), runId, "not started: an earlier window "
                            + tally.firstFailure + " failed in run " + runId, clock.instant());
                    return;
                }
                long started = System.nanoTime();
                try {
                    WindowLedger.Finish match = careful(session, ledger, target, window, started, tally);
                    if (match != null) {
                        matched.add(window);
                        matchedFinishes.add(match);
                    }
                } catch (SomaException e) {
                    tally.failed(window, e);
                    try {
                        ledger.failed(model.name(), window, runId, e.getMessage(), clock.instant());
                        ledger.release(model.name(), locked.subList(i + 1, locked.size()), runId, "not started: window "
                                + window + " before it failed in run " + runId, clock.instant());
                    } catch (SomaException ignored) {
                        // the locks go stale and the next run releases them
                    }
                    return;
                }
            }
        } finally {
            if (!matched.isEmpty()) {
                // A window whose lock was released as stale meanwhile is not counted: a later run owns it.
                long done = ledger.doneAll(model.name(), matched, matchedFinishes, runId, clock.instant());
                for (long k = 0; k < done; k++) {
                    tally.skipped();
                }
            }
        }
    }

    /** Thrown inside the fast path's transaction to roll it back when the target already has rows there. */
    private static final class TargetNotEmpty extends RuntimeException {
        TargetNotEmpty() {
            super(null, null, false, false);
        }
    }

    /**
     * Loads {@code windows} in one transaction when the target has no row in their span: one INSERT per
     * window under its predicate, then DONE for all. The audit needs no second scan: the target had no
     * row in the window inside this transaction, so after the insert it holds exactly the inserted rows.
     *
     * @return false when the batch must take the careful path (rows in the span, or any failure: rolled back)
     */
    private boolean fastPath(Session session, WindowLedger ledger, Relation target, List<Window> windows, Tally tally) {
        if (!tally.mayBegin(windows.get(0))) {
            return false;
        }
        long started = System.nanoTime();
        Window first = windows.get(0);
        Window last = windows.get(windows.size() - 1);
        Engine engine = session.engine();
        String eventTime = engine.dialect().quote(spec.eventTime());
        try {
            long[] counts = session.inTransaction(owner, tx -> {
                long existing = tx.queryLong(owner, "SELECT count(*) FROM " + target.quoted(engine.dialect()) + " WHERE " + eventTime
                        + " >= " + first.startLiteral() + " AND " + eventTime + " < " + last.endLiteral());
                if (existing > 0) {
                    throw new TargetNotEmpty();
                }
                long[] inserted = new long[windows.size()];
                List<WindowLedger.Finish> finishes = new ArrayList<>(windows.size());
                if (!engine.supportsTransactions()) {
                    // Each statement commits alone: one INSERT of every window's rows, so the batch is in whole or not
                    // at all (one commit), as the transaction makes it elsewhere.
                    batchInsert(tx, engine, target, windows, inserted);
                }
                for (int i = 0; i < windows.size() && engine.supportsTransactions(); i++) {
                    Window window = windows.get(i);
                    inserted[i] = tx.execute(owner, engine.insertByName(target.quoted(engine.dialect()), "(\n"
                            + compile.apply(window).sql() + "\n) AS soma_window_source WHERE " + predicate(engine, window)));
                    if (inserted[i] < 0) {
                        // The engine reported no count: the window held no row before, so it holds the inserted ones.
                        inserted[i] = tx.queryLong(owner, "SELECT count(*) FROM " + target.quoted(engine.dialect())
                                + " WHERE " + predicate(engine, window));
                    }
                }
                long elapsed = (System.nanoTime() - started) / 1_000_000 / windows.size();
                for (int i = 0; i < windows.size(); i++) {
                    finishes.add(WindowLedger.firstLoad(inserted[i], elapsed));
                }
                if (ledger.doneAll(model.name(), windows, finishes, runId, clock.instant()) != windows.size()) {
                    throw new TargetNotEmpty();
                }
                return inserted;
            });
            for (long count : counts) {
                tally.loaded(count);
            }
            return true;
        } catch (TargetNotEmpty | SomaException e) {
            // Rolled back: the careful path re-checks each window and, on an error, says which window failed.
            return false;
        }
    }

    /** Whether each window ends where the next starts (a batch may have lost windows to other runs' locks). */
    private static boolean consecutive(List<Window> windows) {
        for (int i = 1; i < windows.size(); i++) {
            if (!windows.get(i - 1).end().equals(windows.get(i).start())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Inserts the rows of every window of {@code windows} in one statement, then counts them per window in
     * one query: the target held no row in their span, so it now holds exactly the inserted ones.
     */
    private void batchInsert(Session tx, Engine engine, Relation target, List<Window> windows, long[] inserted) {
        String quoted = target.quoted(engine.dialect());
        StringJoiner union = new StringJoiner("\nUNION ALL\n");
        StringJoiner which = new StringJoiner(" ", "CASE ", " END");
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            union.add("SELECT * FROM (\n" + compile.apply(window).sql() + "\n) AS soma_window_source WHERE " + predicate(engine, window));
            which.add("WHEN " + predicate(engine, window) + " THEN " + i);
        }
        tx.execute(owner, engine.insertByName(quoted, "(\n" + union + "\n) AS soma_window_batch"));
        String eventTime = engine.dialect().quote(spec.eventTime());
        tx.queryList(owner, "SELECT " + which + " AS soma_window, count(*) FROM " + quoted + " WHERE " + eventTime + " >= "
                + windows.get(0).startLiteral() + " AND " + eventTime + " < " + windows.get(windows.size() - 1).endLiteral()
                + " GROUP BY 1", rs -> {
                    inserted[rs.getInt(1)] = rs.getLong(2);
                    return null;
                });
    }

    private String predicate(Engine engine, Window window) {
        String eventTime = engine.dialect().quote(spec.eventTime());
        return eventTime + " >= " + window.startLiteral() + " AND " + eventTime + " < " + window.endLiteral();
    }

    /**
     * One window, checked first: when source and target agree, nothing is written and the DONE to record
     * is returned (the caller records it with others); else the window is loaded (straight from the query
     * when the target has no row in it, else through a stage) with delete + insert + DONE in one
     * transaction, and counted in {@code tally}.
     *
     * @return the DONE to record when counts and checksums match, or {@code null} when the window was loaded
     */
    private WindowLedger.Finish careful(Session session, WindowLedger ledger, Relation target, Window window, long started,
                                       Tally tally) {
        CompiledModel compiled = compile.apply(window);
        Engine engine = session.engine();
        String quoted = target.quoted(engine.dialect());
        String predicate = predicate(engine, window);
        String sourceRows = "(\n" + compiled.sql() + "\n) AS soma_window_source WHERE " + predicate;
        String source = "SELECT * FROM " + sourceRows;
        String inTarget = "SELECT * FROM " + quoted + " WHERE " + predicate;
        try {
            Stats[] both = stats(session, source, inTarget);
            Stats sourceStats = both[0];
            Stats targetStats = both[1];
            if (sourceStats.equals(targetStats)) {
                return new WindowLedger.Finish("skipped: counts match", sourceStats.count, targetStats.count, true,
                        "counts and checksums match", (System.nanoTime() - started) / 1_000_000);
            }
            boolean staged = targetStats.count > 0;
            if (staged) {
                // The query runs before the swap's transaction, so that transaction only moves rows.
                session.execute(owner, engine.createStage(STAGE, source));
                ledger.phase(model.name(), window, runId, "staged", clock.instant());
            }
            long inserted = session.inTransaction(owner, tx -> {
                long count = 0;
                for (String statement : staged ? engine.replaceWhere(quoted, predicate, STAGE + " WHERE " + predicate)
                        : List.of(engine.insertByName(quoted, sourceRows))) {
                    count = tx.execute(owner, statement);
                }
                if (count < 0) {
                    // The engine's statement reports no count (Spark's MERGE): the window is replaced, so count it.
                    count = tx.queryLong(owner, "SELECT count(*) FROM " + quoted + " WHERE " + predicate);
                }
                // Inside this transaction the window held no row after the delete (same predicate), so it
                // now holds exactly the inserted rows: that is the target count, without a second scan.
                boolean passed = spec.auditPasses(sourceStats.count, count);
                String audit = "source " + sourceStats.count + " rows at the pre-check, target " + count + " rows"
                        + (spec.auditTolerance() == 0 ? " (exact)" : " (tolerance " + spec.auditTolerance() + "%)")
                        + "; before the load the target had " + targetStats.count + " rows"
                        + (targetStats.count == sourceStats.count ? " with a different checksum" : "");
                boolean ok = ledger.done(model.name(), window, runId, new WindowLedger.Finish("loaded", sourceStats.count,
                        count, passed, audit, (System.nanoTime() - started) / 1_000_000), clock.instant());
                if (!ok) {
                    throw lostLock(window);
                }
                return count;
            });
            if (staged) {
                session.execute(owner, engine.dropTable(STAGE));
            }
            tally.loaded(inserted);
            return null;
        } catch (SqlExecutionException e) {
            throw new ModelExecutionException(owner, null, e.sql(), e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getMessage(), e), e.engine());
        }
    }

    private static SomaException lostLock(Window window) {
        return new SomaException(ErrorCode.INTERNAL, "lost the lock on window " + window
                + " (a later run released it as stale); nothing of this window was written");
    }

    private record Stats(long count, BigInteger checksum) {
    }

    /** Count and checksum of the source's and the target's rows in the window, in one query. */
    private Stats[] stats(Session session, String source, String target) {
        Engine engine = session.engine();
        return session.query(owner, "SELECT s.n, s.h, t.n, t.h FROM (" + engine.fingerprint(source) + ") AS s, ("
                + engine.fingerprint(target) + ") AS t", rs -> {
            rs.next();
            return new Stats[] {new Stats(rs.getLong(1), new BigInteger(rs.getString(2))),
                    new Stats(rs.getLong(3), new BigInteger(rs.getString(4)))};
        });
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * Creates the target empty from the model's columns, and checks that {@code event_time} is one of them.
     *
     * @return the type of the {@code event_time} column, as the engine names it
     */
    private String ensureTarget(Session session, Relation target, Window first) {
        CompiledModel compiled = compile.apply(first);
        try {
            if (!session.relationExists(target.schema(), target.identifier())) {
                // Another run may be creating it too: the loser of the catalog conflict tries again.
                WindowLedger.retryingRaces(() -> session.execute(owner, session.engine().createSchema(target.schema())));
                WindowLedger.retryingRaces(() -> session.execute(owner, "CREATE TABLE IF NOT EXISTS "
                        + target.quoted(session.engine().dialect())
                        + " AS SELECT * FROM (\n" + compiled.sql() + "\n) AS soma_window_source LIMIT 0"));
            }
            List<Column> found = session.engine().columns(session, target.schema(), target.identifier());
            List<String> columns = found.stream().map(Column::name).toList();
            if (!columns.contains(spec.eventTime())) {
                throw new WindowConfigException(SourceLocation.of(model.path()), model.name(), "event_time", spec.eventTime(),
                        "windowed model " + model.name() + " has event_time '" + spec.eventTime() + "', which is not a column of its output (columns: "
                        + String.join(", ", columns) + "); select it in the model or set event_time to one of these");
            }
            return found.get(columns.indexOf(spec.eventTime())).type();
        } catch (SqlExecutionException e) {
            throw new ModelExecutionException(owner, null, e.sql(), e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getMessage(), e), e.engine());
        }
    }
}
