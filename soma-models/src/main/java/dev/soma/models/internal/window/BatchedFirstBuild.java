package dev.soma.models.internal.window;

import dev.soma.core.engine.Dialect;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.compile.CompiledModel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A batch of windows never loaded, loaded set-based: one {@code INSERT} of the rows of the whole
 * batch's span, the rows placed in their windows by a time bucket ({@link Dialect#bucketNumberFromOrigin}), each
 * window's count from one {@code GROUP BY}, and every window's DONE in one ledger statement, all in
 * one transaction. A kill at any moment leaves the batch either all in or not at all (its windows stay
 * locked by a dead run, which the next run releases and loads again).
 *
 * <p>Used only where it gives exactly what loading the windows one by one gives (same rows in the
 * same windows, same ledger rows): the target has no row in the span; the model's query, rendered for
 * the span, is the query of each window with only the bounds changed, and either does not read the
 * window at all or uses it only to filter rows on {@code event_time} ({@link RowFilterQuery}); and
 * {@code event_time} is a {@code TIMESTAMP} or {@code DATE}, so the bucket of a row is the window its
 * predicate puts it in. Otherwise the caller loads the windows one by one.
 *
 * <p>Thread safety: one instance per model and run, used by the run's workers at once; it keeps no
 * state between calls.
 */
final class BatchedFirstBuild {

    /** What became of a batch. */
    enum Outcome {
        /** Loaded and DONE, every window of the batch. */
        LOADED,
        /** The model's query or event time does not allow it: load the windows one by one. */
        NOT_SET_BASED,
        /** The target has rows in the span, or the load failed: rolled back, each window takes the careful path. */
        ROLLED_BACK
    }

    /** The outcome, and for {@link Outcome#LOADED} the rows of each window, in the batch's order. */
    record Result(Outcome outcome, long[] rows) {
    }

    private final String model;
    private final WindowSpec spec;
    private final Function<Window, CompiledModel> compile;
    private final String runId;
    private final Clock clock;
    private final SqlOwner owner;
    private final boolean bucketable;

    /**
     * @param eventTimeType the target's type of the {@code event_time} column, as the engine names it
     */
    BatchedFirstBuild(String model, WindowSpec spec, Function<Window, CompiledModel> compile, String runId, Clock clock,
                      SqlOwner owner, String eventTimeType) {
        this.model = model;
        this.spec = spec;
        this.compile = compile;
        this.runId = runId;
        this.clock = clock;
        this.owner = owner;
        String type = eventTimeType == null ? "" : eventTimeType.strip().toUpperCase(Locale.ROOT);
        this.bucketable = type.equals("TIMESTAMP") || type.equals("DATE");
    }

    /**
     * The model's query for the whole span of {@code windows} (consecutive, not locked yet) when they may all be
     * loaded in one statement: the query allows it and the target has no row in their span. Else {@code null}.
     * Read before locking, so that a run locks every window of a first build at once only when it will load
     * them so; {@link #load} checks the span again inside its transaction.
     */
    String firstBuildQuery(Session session, Relation target, List<Window> windows) {
        if (!bucketable || windows.size() < 2) {
            return null;
        }
        Window span = new Window(windows.get(0).start(), windows.get(windows.size() - 1).end());
        Dialect dialect = session.engine().dialect();
        if (session.queryLong(owner, "SELECT count(*) FROM " + target.quoted(dialect) + " WHERE "
                + predicate(dialect.quote(spec.eventTime()), span)) > 0) {
            return null;
        }
        return spanQuery(span, windows);
    }

    /** Loads {@code windows} (consecutive, locked by this run) in one transaction, if it may. */
    Result load(Session session, WindowLedger ledger, Relation target, List<Window> windows) {
        return load(session, ledger, target, windows, null);
    }

    /**
     * As {@link #load(Session, WindowLedger, Relation, List)}, with the span's query already read by
     * {@link #firstBuildQuery} ({@code null}: not yet).
     */
    Result load(Session session, WindowLedger ledger, Relation target, List<Window> windows, String spanQuery) {
        if (!bucketable || windows.size() < 2) {
            return new Result(Outcome.NOT_SET_BASED, null);
        }
        long started = System.nanoTime();
        Window first = windows.get(0);
        Window last = windows.get(windows.size() - 1);
        Window span = new Window(first.start(), last.end());
        Dialect dialect = session.engine().dialect();
        String quoted = target.quoted(dialect);
        String eventTime = dialect.quote(spec.eventTime());
        try {
            long[] rows = session.inTransaction(owner, tx -> {
                if (tx.queryLong(owner, "SELECT count(*) FROM " + quoted + " WHERE " + predicate(eventTime, span)) > 0) {
                    throw new Refused();
                }
                // Rendered only now: a re-run of windows with rows (refused above) pays no rendering for nothing.
                String query = spanQuery != null ? spanQuery : spanQuery(span, windows);
                if (query == null) {
                    throw new NotSetBased();
                }
                long inserted = tx.execute(owner, session.engine().insertByName(quoted, "(\n" + query
                        + "\n) AS soma_window_source WHERE " + predicate(eventTime, span)));
                long[] counts = counts(tx, quoted, eventTime, windows);
                long total = 0;
                for (long count : counts) {
                    total += count;
                }
                if (inserted >= 0 && total != inserted) {
                    // A row the buckets did not place in a window of the batch: never expected; load one by one.
                    throw new Refused();
                }
                long elapsed = (System.nanoTime() - started) / 1_000_000 / windows.size();
                if (ledger.doneFirstLoads(model, windows, counts, elapsed, runId, clock.instant()) != windows.size()) {
                    throw new Refused();
                }
                return counts;
            });
            return new Result(Outcome.LOADED, rows);
        } catch (NotSetBased e) {
            return new Result(Outcome.NOT_SET_BASED, null);
        } catch (Refused | SomaException e) {
            return new Result(Outcome.ROLLED_BACK, null);
        }
    }

    /**
     * The model's query for the whole span, or {@code null} when loading the span at once could give other rows
     * than loading each window: the query of each window must be the span's with only the bounds changed.
     */
    private String spanQuery(Window span, List<Window> windows) {
        String query = compile.apply(span).sql();
        boolean readsWindow = query.contains(span.startLiteral()) || query.contains(span.endLiteral());
        if (readsWindow && !RowFilterQuery.filtersOnly(query, spec.eventTime(), span.startLiteral(), span.endLiteral())) {
            return null;
        }
        for (Window window : windows) {
            String expected = readsWindow ? query.replace(span.startLiteral(), window.startLiteral())
                    .replace(span.endLiteral(), window.endLiteral()) : query;
            if (!compile.apply(window).sql().equals(expected)) {
                return null; // the template reads the window in other ways (an <#if> on it, a formatted bound)
            }
        }
        return query;
    }

    /**
     * The rows of each window, from one {@code GROUP BY} of the target's span on the time bucket per run of
     * windows of one length (a DST day in a zoned day model is a run of its own).
     */
    private long[] counts(Session tx, String quoted, String eventTime, List<Window> windows) {
        Dialect dialect = tx.engine().dialect();
        Map<Instant, Integer> index = new HashMap<>();
        for (int i = 0; i < windows.size(); i++) {
            index.put(windows.get(i).start(), i);
        }
        long[] counts = new long[windows.size()];
        int from = 0;
        while (from < windows.size()) {
            int to = from + 1;
            while (to < windows.size() && windows.get(to).length().equals(windows.get(from).length())) {
                to++;
            }
            Window run = new Window(windows.get(from).start(), windows.get(to - 1).end());
            Duration width = windows.get(from).length();
            // The predicate keeps every row at or after the run's start: the cheaper division is exact.
            String bucket = dialect.bucketNumberFromOrigin(dialect.cast(eventTime, "TIMESTAMP"), width, run.startLiteral());
            tx.queryList(owner, "SELECT " + bucket + " AS soma_window, count(*) AS n FROM " + quoted + " WHERE "
                    + predicate(eventTime, run) + " GROUP BY 1", rs -> {
                        long number = rs.getLong(1);
                        Integer at = rs.wasNull() ? null : index.get(run.start().plus(width.multipliedBy(number)));
                        if (at == null) {
                            throw new Refused();
                        }
                        counts[at] = rs.getLong(2);
                        return null;
                    });
            from = to;
        }
        return counts;
    }

    private static String predicate(String eventTime, Window window) {
        return eventTime + " >= " + window.startLiteral() + " AND " + eventTime + " < " + window.endLiteral();
    }

    /** Rolls the batch's (empty) transaction back: the model's query needs the windows loaded one by one. */
    private static final class NotSetBased extends RuntimeException {
        NotSetBased() {
            super(null, null, false, false);
        }
    }

    /** Rolls the batch's transaction back: it is loaded another way. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }
}
