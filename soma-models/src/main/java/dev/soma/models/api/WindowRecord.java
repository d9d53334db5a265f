package dev.soma.models.api;

import java.time.Instant;

/**
 * One window of a windowed model, as its ledger row in {@code soma_meta.windows} says.
 *
 * @param state       where the window stands
 * @param runId       the run holding its lock, when {@code IN_PROGRESS}
 * @param phase       the last phase completed ({@code locked}, {@code staged}, {@code loaded},
 *                    {@code skipped: counts match})
 * @param sourceCount rows the model's query gives for the window, at the last load (or {@code null})
 * @param targetCount rows in the target's window after the last load (or {@code null})
 * @param difference  source − target
 * @param percentage  |difference| as a percentage of the source count
 * @param auditStatus {@code PASSED} or {@code FAILED}, or {@code null} before the first load
 * @param attempt     how many attempts failed or were cut off (stale locks)
 * @param error       the last error or release reason, or {@code null}
 */
public record WindowRecord(String model, Instant start, Instant end, WindowStatus state, String runId, Instant lockedAt,
                           String phase, Long sourceCount, Long targetCount, Long difference, Double percentage,
                           String auditStatus, String auditResult, int attempt, String error, Instant updatedAt) {

    /** Whether this window needs a look: failed, or loaded out of audit. */
    public boolean needsAttention() {
        return state == WindowStatus.FAILED || outOfAudit();
    }

    /** Whether its last audit failed: the target's rows do not match the source's. */
    public boolean outOfAudit() {
        return "FAILED".equals(auditStatus);
    }
}
