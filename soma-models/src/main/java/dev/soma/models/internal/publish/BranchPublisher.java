package dev.soma.models.internal.publish;

import dev.soma.core.engine.AuditBranches;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.Relation;
import dev.soma.models.error.PublishRefusedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishing and discarding on an engine whose tables have branches ({@link AuditBranches}: Iceberg's
 * write-audit-publish). Each table's audited rows wait on its audit branch; publishing fast-forwards each
 * table's {@code main} to its branch, one atomic commit per table, then drops the branches.
 *
 * <p>Several tables are <em>not</em> published in one step: there is no transaction across tables. Every
 * check is made before the first table moves (each branch exists, no live table changed since its branch
 * was started, the build is still waiting), so a refusal changes nothing; a failure between two tables
 * (the process killed, the catalog unreachable) leaves the tables before it live and the rest as they
 * were, with every branch and the ledger's "audited" state kept, and running the publish again finishes
 * it (a fast-forward already made changes nothing). Stateless.
 */
final class BranchPublisher {

    private BranchPublisher() {
    }

    /** Makes the audit branches of {@code runId} live and records it published; see the class comment. */
    static void publish(Session session, AuditBranches branches, String runId, List<PublishLedger.Entry> entries, Instant now) {
        PublishLedger ledger = new PublishLedger(session);
        boolean waiting = ledger.open().stream()
                .anyMatch(row -> row.runId().equals(runId) && row.state() == PublishState.AUDITED);
        if (!waiting) {
            throw new PublishRefusedException(PublishRefusedException.Reason.NO_SHADOW, List.of(),
                    "cannot publish run " + runId + ": it is no longer waiting to be published (published or "
                            + "discarded by another process); nothing was changed");
        }
        List<String> missing = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (PublishLedger.Entry entry : entries) {
            Relation live = entry.relation().live();
            if (!branches.exists(session, live.schema(), live.identifier())) {
                missing.add(live + " (branch " + AuditBranches.BRANCH + ")");
                continue;
            }
            String conflict = branches.conflict(session, live.schema(), live.identifier());
            if (conflict != null) {
                changed.add(live + " (" + conflict + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new PublishRefusedException(PublishRefusedException.Reason.SHADOW_MISSING, missing,
                    "cannot publish run " + runId + ": its audit lacks " + String.join(", ", missing)
                            + " (dropped by hand?); nothing was changed. Build again with --publish");
        }
        if (!changed.isEmpty()) {
            throw new PublishRefusedException(PublishRefusedException.Reason.LIVE_CHANGED, changed,
                    "cannot publish run " + runId + ": " + String.join(", ", changed) + (changed.size() == 1 ? " has" : " have")
                            + " changed since the audit, and publishing would throw that change away; nothing was "
                            + "changed. Build and audit again (soma build --audit), or 'soma publish --discard'");
        }
        for (PublishLedger.Entry entry : entries) {
            Relation live = entry.relation().live();
            branches.publish(session, live.schema(), live.identifier());
        }
        // Every table is live: what remains is cleaning up. A failure from here on leaves branches that the
        // next publish build replaces.
        ledger.move(runId, List.of(PublishState.AUDITED), PublishState.PUBLISHED, now);
        for (PublishLedger.Entry entry : entries) {
            Relation live = entry.relation().live();
            branches.drop(session, live.schema(), live.identifier());
        }
    }

    /** Drops every audit branch of {@code runId} (and tables made only to hold one) and records it discarded. */
    static void discard(Session session, AuditBranches branches, String runId, List<PublishLedger.Entry> entries, Instant now) {
        for (PublishLedger.Entry entry : entries) {
            Relation live = entry.relation().live();
            branches.drop(session, live.schema(), live.identifier());
        }
        new PublishLedger(session).move(runId, List.of(PublishState.BUILDING, PublishState.AUDITED, PublishState.FAILED),
                PublishState.DISCARDED, now);
    }
}
