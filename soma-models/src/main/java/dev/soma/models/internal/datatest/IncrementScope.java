package dev.soma.models.internal.datatest;

import dev.soma.core.runstore.NodeRecord;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.concurrent.OncePerKey;
import dev.soma.models.internal.materialize.Increment;
import dev.soma.models.internal.materialize.RunIncrements;
import dev.soma.models.internal.project.BuiltinTest;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.TestTarget;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a test may check only the rows this run added to or changed in its model, and gets
 * the same result as checking the whole table. That holds when the rest of the table is known to pass:
 * <ul>
 *   <li>the model was built incrementally in this run and its increment was kept ({@link Increment});</li>
 *   <li>the test is row-local ({@code not_null}, {@code accepted_values}, {@code accepted_range},
 *       {@code expression_is_true} without a subquery), a uniqueness test (a new duplicate always
 *       involves a new key), or {@code relationships} (old rows' references still resolve when the
 *       parent has not lost rows: it is a table or seed not rebuilt since the test last passed);</li>
 *   <li>the test's last recorded result in {@code soma_meta} is a pass with no failing rows, of the
 *       same SQL (so the same test), and started after the model's last build before this run (so
 *       no build went untested since).</li>
 * </ul>
 * The history leaves out write-audit-publish builds that did not go live (failed, audited and
 * discarded, or still waiting): what they built and tested was a shadow, never the live table. A test in
 * a build that did go live is recorded under its SQL on the live names, so plain and publish builds
 * recognise each other's results.
 * Anything else tests the whole table. Soma trusts that only Soma writes its models' tables.
 *
 * <p>Thread-safe; reads the run history once, when a test first asks.
 */
final class IncrementScope {

    private final Project project;
    private final RunIncrements increments;
    private final OncePerKey<String, Map<String, NodeRecord>> history = new OncePerKey<>();

    /** @param increments what this run built, or {@code null} to test everything ({@code --full-test}) */
    IncrementScope(Project project, RunIncrements increments) {
        this.project = project;
        this.increments = increments;
    }

    /**
     * The increment {@code test} may check instead of its whole model, or {@code null}.
     *
     * @param checksum the SHA-256 of the test's full SQL, as recorded for its last run
     */
    Increment of(TestNode test, BuiltinTest builtin, String checksum, Session session) {
        if (increments == null || builtin == null || test.attachedTo() == null || !scales(builtin, test)) {
            return null;
        }
        Increment increment = increments.increment(test.attachedTo());
        if (increment == null) {
            return null;
        }
        Map<String, NodeRecord> last = history.get("latest", key -> new RunStore(session).latestNodeResults(shadowRunsNotLive(session)));
        NodeRecord tested = last.get(test.uniqueId());
        if (tested == null || tested.startedAt() == null || !NodeStatus.PASS.label().equals(tested.status())
                || tested.failures() != 0 || !checksum.equals(tested.checksum())) {
            return null;
        }
        if (!before(last.get(test.attachedTo()), tested.startedAt())) {
            return null;
        }
        if (builtin == BuiltinTest.RELATIONSHIPS) {
            Node parent = TestTarget.resolve(project, test.arguments().get("to").asText(),
                    SourceLocation.of(test.path(), test.line()), "test " + test.name());
            if (!keepsItsRows(parent) || increments.rebuilt(parent.uniqueId())) {
                return null;
            }
            NodeRecord parentBuilt = last.get(parent.uniqueId());
            if (parentBuilt != null && !before(parentBuilt, tested.startedAt())) {
                return null;
            }
        }
        return increment;
    }

    /**
     * Runs of write-audit-publish builds whose shadow did not go live, from the publish ledger
     * ({@code soma_meta.publishes}, kept by the publish package).
     */
    private static List<String> shadowRunsNotLive(Session session) {
        if (!session.relationExists(RunStore.SCHEMA, "publishes")) {
            return List.of();
        }
        return session.queryList(SqlOwner.soma("test history"), "SELECT run_id FROM " + RunStore.SCHEMA
                + ".publishes WHERE state <> 'published'", rs -> rs.getString(1));
    }

    /** Tests whose result on the whole table follows from their result on the increment and a clean history. */
    private static boolean scales(BuiltinTest builtin, TestNode test) {
        return switch (builtin) {
            case NOT_NULL, ACCEPTED_VALUES, ACCEPTED_RANGE, UNIQUE, UNIQUE_COMBINATION_OF_COLUMNS, RELATIONSHIPS -> true;
            // an expression reading other rows (a subquery) is not row-local
            case EXPRESSION_IS_TRUE -> !test.arguments().get("expression").asText().toLowerCase(Locale.ROOT).contains("select");
            case ROW_COUNT, NOT_EMPTY -> false;
        };
    }

    /** A parent whose rows change only when Soma builds it: a table, incremental model or seed. */
    private static boolean keepsItsRows(Node parent) {
        if (parent instanceof SeedNode) {
            return true;
        }
        return parent instanceof ModelNode model && (model.materialized() == Materialization.TABLE
                || model.materialized() == Materialization.INCREMENTAL);
    }

    /** Whether the node's last recorded build started before {@code instant}; a node never built was never changed by Soma. */
    private static boolean before(NodeRecord built, Instant instant) {
        return built == null || (built.startedAt() != null && built.startedAt().isBefore(instant));
    }
}
