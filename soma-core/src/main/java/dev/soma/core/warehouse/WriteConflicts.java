package dev.soma.core.warehouse;

import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one place that recognises a lost write race and tries the work again.
 *
 * <p>DuckDB resolves two transactions writing the same row or catalog entry by failing the later one
 * ("write-write conflict", "Conflict on tuple deletion"); PostgreSQL reports a serialization failure or a
 * deadlock (SQLSTATE {@code 40001} / {@code 40P01}); Iceberg fails a commit whose files another commit
 * changed meanwhile ("Found conflicting files", "Missing required files to delete"). Either way nothing of
 * the loser was written, so work
 * that is safe to repeat may simply run again once the winner has committed. Stateless and thread-safe.
 */
public final class WriteConflicts {

    private WriteConflicts() {
    }

    /** Whether {@code failure} (or any of its causes) is a lost write race rather than a real error. */
    public static boolean isWriteConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("write-write conflict") || message.contains("conflict on")
                    || (message.contains("conflict") && message.contains("transaction"))
                    || message.contains("could not serialize")
                    || message.contains("found conflicting files") || message.contains("missing required files to delete")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code work}, running it again after a short pause while it loses a write race, up to
     * {@code attempts} tries in all; the last failure, or any other failure, is thrown as it is.
     * {@code work} must be safe to repeat (idempotent, or in a transaction that was rolled back).
     */
    public static <T> T retrying(int attempts, Supplier<T> work) {
        return retrying(attempts, WriteConflicts::isWriteConflict, work);
    }

    /**
     * As {@link #retrying(int, Supplier)}, where {@code lostRace} says which failures are a lost race (for
     * a caller that knows one more, e.g. {@code WriteConflicts::isWriteConflict} or a duplicate key of its
     * own concurrent inserts).
     */
    public static <T> T retrying(int attempts, Predicate<Throwable> lostRace, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !lostRace.test(e)) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    /** As {@link #retrying(int, Supplier)}, for work with no result. */
    public static void retrying(int attempts, Runnable work) {
        retrying(attempts, () -> {
            work.run();
            return null;
        });
    }

    /** A short, growing pause with jitter, so two losers do not collide again in step. */
    public static void pause(int attempt, RuntimeException interruptedWith) {
        try {
            long base = 2L * Math.min(attempt, 10);
            Thread.sleep(base + java.util.concurrent.ThreadLocalRandom.current().nextLong(base + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw interruptedWith;
        }
    }
}
