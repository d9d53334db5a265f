package dev.soma.models.api;

/**
 * What {@code soma windows reset} did.
 *
 * @param model      the windowed model
 * @param reset      windows marked PENDING for the next run
 * @param lockedLeft locked (IN_PROGRESS) windows in the range left alone; {@code force} takes them too
 */
public record WindowResetResult(String model, long reset, long lockedLeft) {
}
