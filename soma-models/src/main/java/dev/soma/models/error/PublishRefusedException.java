package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.List;

/**
 * {@code publish} would not make the shadow live: there is none, its audit failed, or the live relations
 * changed since it was audited. Nothing was changed. The message ends with what to do.
 */
public class PublishRefusedException extends SomaException {

    /** Why publishing was refused. */
    public enum Reason { NO_SHADOW, AUDIT_FAILED, LIVE_CHANGED, SHADOW_MISSING }

    private final Reason reason;
    private final List<String> relations;

    /**
     * @param relations the relations concerned: those changed since the audit, or missing from the shadow
     */
    public PublishRefusedException(Reason reason, List<String> relations, String message) {
        super(ErrorCode.WOULD_OVERWRITE, message, null);
        this.reason = reason;
        this.relations = List.copyOf(relations);
    }

    public Reason reason() {
        return reason;
    }

    public List<String> relations() {
        return relations;
    }
}
