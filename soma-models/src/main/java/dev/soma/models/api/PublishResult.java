package dev.soma.models.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What became of a shadow: published, audited and waiting, failed (kept for a look) or discarded.
 *
 * @param runId       the build that wrote the shadow (its id in {@code soma_meta.runs})
 * @param state       where the shadow stands now
 * @param relations   the relations of the shadow, in build order (of a failed audit: those built, to look at)
 * @param failedTests the tests (and models) whose failure kept the shadow from going live; empty otherwise
 * @param publishedAt when it went live, or {@code null}
 * @param elapsed     how long the publish (or discard) step took; zero when there was none
 * @param leftOut     selected windowed models left out of the shadow build (each window is replaced and
 *                    audited in its own transaction by a plain build); empty otherwise
 * @param atomic      whether publishing makes every relation live in one atomic step (one transaction), as
 *                    the warehouse does it; false where each table goes live on its own (a table's audit branch
 *                    fast-forwarded, then the next: a reader may see some published and others not yet)
 */
public record PublishResult(String runId, PublishState state, List<ShadowRelation> relations, List<String> failedTests,
                            Instant publishedAt, Duration elapsed, List<String> leftOut, boolean atomic) {

    public PublishResult {
        relations = List.copyOf(relations);
        failedTests = List.copyOf(failedTests);
        leftOut = List.copyOf(leftOut);
    }

    /** One line for a person: what happened and what to do next. */
    public String summary() {
        String note = leftOut.isEmpty() ? "" : "\n(left out of the shadow: windowed " + String.join(", ", leftOut)
                + "; a plain 'soma build -s " + String.join(" ", leftOut) + "' builds and audits it window by window)";
        return outcome() + note;
    }

    private String outcome() {
        int n = relations.size();
        String count = n + (n == 1 ? " relation" : " relations");
        return switch (state) {
            case BUILDING -> "building: " + count + " planned in the shadow, not audited";
            case PUBLISHED -> atomic ? "published " + count + " in one transaction (" + elapsed.toMillis() + " ms)"
                    : "published " + count + " (each table fast-forwarded; not one atomic step, see docs/engines.md) ("
                    + elapsed.toMillis() + " ms)";
            case AUDITED -> "audit passed: " + count + " in the shadow; 'soma publish' makes them live, "
                    + "'soma publish --discard' drops them";
            case FAILED -> "not published: " + String.join(", ", failedTests) + " failed; live relations are unchanged. "
                    + (relations.isEmpty() ? "Nothing of the audit is kept (audit branches are dropped at once); fix and build again"
                    : "The shadow is kept for a look (" + shadows() + "); fix and build again, or 'soma publish --discard'");
            case DISCARDED -> "discarded the shadow of run " + runId + " (" + count + "); live relations are unchanged";
        };
    }

    private String shadows() {
        List<String> names = relations.stream().map(r -> r.shadow().toString()).toList();
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }
}
