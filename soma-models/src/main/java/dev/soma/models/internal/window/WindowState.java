package dev.soma.models.internal.window;

import dev.soma.models.api.WindowStatus;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of one window in {@code soma_meta.windows}. Every allowed move is in {@link #NEXT}, the one
 * table; SQL that moves a row checks the state it expects, so a lost race updates zero rows. The public
 * face of each state is {@link #status()}.
 */
public enum WindowState {
    /** Known, not yet loaded (or released from a stale lock, or reset by hand). */
    PENDING,
    /** Locked by a run ({@code run_id}, {@code locked_at}) that is loading it. */
    IN_PROGRESS,
    /** Loaded (or skipped because source and target already matched). */
    DONE,
    /** The last attempt failed; the error is kept and the next run retries it. */
    FAILED;

    private static final Map<WindowState, Set<WindowState>> NEXT = Map.of(
            PENDING, EnumSet.of(IN_PROGRESS),
            IN_PROGRESS, EnumSet.of(DONE, FAILED, PENDING),   // PENDING: a stale lock released
            DONE, EnumSet.of(IN_PROGRESS, PENDING),           // IN_PROGRESS: re-run by --windows/--full-refresh; PENDING: reset
            FAILED, EnumSet.of(IN_PROGRESS, PENDING));        // PENDING: reset

    /** This state as the public API shows it. */
    public WindowStatus status() {
        return switch (this) {
            case PENDING -> WindowStatus.PENDING;
            case IN_PROGRESS -> WindowStatus.IN_PROGRESS;
            case DONE -> WindowStatus.DONE;
            case FAILED -> WindowStatus.FAILED;
        };
    }

    /** Whether a window may move from this state to {@code next}. */
    public boolean canMoveTo(WindowState next) {
        return NEXT.get(this).contains(next);
    }

    /** The states a window may move to {@code target} from. */
    public static Set<WindowState> from(WindowState target) {
        Set<WindowState> from = EnumSet.noneOf(WindowState.class);
        for (WindowState state : values()) {
            if (state.canMoveTo(target)) {
                from.add(state);
            }
        }
        return from;
    }
}
