package dev.soma.models.internal.window;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.WindowAuditResult;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowResetResult;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.listing.NodeListing;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The verbs on the window ledger ({@code soma windows}, {@code windows reset}, {@code windows audit}):
 * list it, mark windows for re-processing, re-audit finished windows. Each works on a connection of its
 * own; {@link #list} may be called from any thread while runs go on.
 */
public final class WindowVerbs {

    private final Project project;
    private final NodeListing listing;
    private final Compiler compiler;
    private final Clock clock;
    private final Supplier<Warehouse> warehouse;

    public WindowVerbs(Project project, NodeListing listing, Compiler compiler, Clock clock, Supplier<Warehouse> warehouse) {
        this.project = project;
        this.listing = listing;
        this.compiler = compiler;
        this.clock = clock;
        this.warehouse = warehouse;
    }

    /**
     * The ledger of {@code model} ({@code null}: every windowed model), what needs a look first, read in a
     * read-only transaction.
     *
     * @throws ProjectException if {@code model} names no node
     */
    public List<WindowRecord> list(String model) {
        if (model != null) {
            listing.node(model);
        }
        // A connection of its own, read-only: safe while runs (or an HTTP server's requests) use the warehouse.
        List<WindowLedger.Row> rows;
        try (Session session = warehouse.get().openSession()) {
            rows = session.readOnly(SqlOwner.soma("window ledger"), readOnly -> new WindowLedger(readOnly).list(model));
        }
        return rows.stream()
                .map(row -> new WindowRecord(row.model(), row.start(), row.end(), row.state().status(), row.runId(),
                        row.lockedAt(), row.phase(), row.sourceCount(), row.targetCount(), row.difference(),
                        row.percentage(), row.auditStatus(), row.auditResult(), row.attempt(), row.error(), row.updatedAt()))
                .toList();
    }

    /**
     * DONE or FAILED → PENDING for the windows of {@code model} starting in [{@code from}, {@code to});
     * with {@code force}, locked (IN_PROGRESS) ones too, their locks taken away.
     *
     * @return how many windows were reset, and how many locked ones were left alone
     */
    public WindowResetResult reset(String model, Instant from, Instant to, boolean force) {
        listing.node(model);
        try (Session session = warehouse.get().openSession()) {
            WindowLedger.create(session);
            WindowLedger ledger = new WindowLedger(session);
            long reset = ledger.reset(model, from, to, force, clock.instant());
            return new WindowResetResult(model, reset, force ? 0 : ledger.locked(model, from, to));
        }
    }

    /**
     * Re-audits the finished windows of {@code model} starting in [{@code from}, {@code to}) against the
     * source as it is now, loading nothing.
     *
     * @throws ProjectException if {@code model} is not a windowed model
     */
    public WindowAuditResult audit(String model, Instant from, Instant to) {
        ModelNode node = windowedModel(model);
        try (Session session = warehouse.get().openSession()) {
            WindowAudit.Result result = new WindowAudit(node, window -> compiler.compileWindow(node, window))
                    .run(session, from, to, clock.instant());
            return new WindowAuditResult(model, result.audited(), result.outOfAudit());
        }
    }

    private ModelNode windowedModel(String model) {
        listing.node(model);
        ModelNode node = project.models().get(model);
        if (node == null || node.materialized() != Materialization.WINDOWED) {
            throw new ProjectException(node == null ? null : SourceLocation.of(node.path()),
                    model + " is not a windowed model; 'soma windows' lists the windowed models' windows");
        }
        return node;
    }
}
