package dev.soma.models.api;

import java.time.Instant;

/**
 * Something a run did to a window besides loading it, that its caller should hear about: a lock it
 * found and left alone, or a lock of a dead run it released (the window is then loaded again).
 *
 * @param model  the windowed model
 * @param start  the window's start (UTC)
 * @param end    the window's end (UTC, excluded)
 * @param action what the run did
 * @param runId  the run that held the lock
 * @param reason why, in words ({@code "run 1f… is no longer running (killed?)"})
 */
public record WindowNotice(String model, Instant start, Instant end, Action action, String runId, String reason) {

    /** What a run did to a window it found locked. */
    public enum Action {
        /** Left alone: the lock belongs to a run that is still going on; the window waits for a later run. */
        SKIPPED_LOCKED,
        /** The lock's run is dead (or the lock went stale): released, and the window loaded again in this run. */
        RELEASED_REDONE
    }

    /** One line for a person: {@code window 2024-01-01T00:30Z..01:00Z re-done: …}. */
    public String describe() {
        String what = action == Action.SKIPPED_LOCKED ? "skipped (locked by run " + runId + ")"
                : "re-done (lock of run " + runId + " released)";
        return "window " + start + ".." + end + " " + what + ": " + reason;
    }
}
