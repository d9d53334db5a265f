package dev.soma.models.api;

/**
 * What {@code Soma.auditWindows} found.
 *
 * @param model      the windowed model
 * @param audited    finished windows whose source and target were counted and checksummed again
 * @param outOfAudit of those, how many no longer match their source (reload them with {@code --windows})
 */
public record WindowAuditResult(String model, int audited, int outOfAudit) {
}
