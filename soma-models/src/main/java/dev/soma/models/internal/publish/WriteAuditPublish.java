package dev.soma.models.internal.publish;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.api.ShadowRelation;
import dev.soma.models.error.PublishRefusedException;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.plan.BuildPlan;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.run.RunLifecycle;
import dev.soma.models.internal.run.RunOptions;
import dev.soma.models.internal.selection.Selector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The write-audit-publish verbs: a build into shadow relations ({@code soma build --publish / --audit}),
 * making the newest audited shadow live ({@code soma publish}), dropping it ({@code --discard}), and
 * the history in {@code soma_meta.publishes}. Each verb works on a connection of its own; verbs are not
 * meant to run concurrently.
 */
public final class WriteAuditPublish {

    private final Project project;
    private final ModelGraph graph;
    private final ArtifactWriter artifacts;
    private final RunOptions options;
    private final Executor executor;
    private final Supplier<Warehouse> warehouse;
    private final Selector selector;

    public WriteAuditPublish(Project project, ModelGraph graph, ArtifactWriter artifacts, RunOptions options,
                             Executor executor, Supplier<Warehouse> warehouse) {
        this(project, graph, artifacts, options, executor, warehouse, new Selector(graph));
    }

    /** @param selector selects on the live graph; one that knows {@code --state} for {@code state:} selectors */
    public WriteAuditPublish(Project project, ModelGraph graph, ArtifactWriter artifacts, RunOptions options,
                             Executor executor, Supplier<Warehouse> warehouse, Selector selector) {
        this.selector = selector;
        this.project = project;
        this.graph = graph;
        this.artifacts = artifacts;
        this.options = options;
        this.executor = executor;
        this.warehouse = warehouse;
    }

    /**
     * Builds {@code selection} into shadow relations and runs its tests there, then publishes
     * ({@link Publishing#PUBLISH}) or keeps the shadow ({@link Publishing#AUDIT}). Selected windowed
     * models are left out and named in the result.
     */
    public PublishedBuild build(Selection selection, Publishing publishing) {
        Warehouse warehouse = this.warehouse.get();
        List<String> windowed = new ArrayList<>();
        for (String id : selector.select(selection)) {
            if (graph.node(id) instanceof ModelNode model && model.materialized() == Materialization.WINDOWED) {
                windowed.add(model.name());
            }
        }
        Selection shadowed = windowed.isEmpty() ? selection : selection.excluding(String.join(" ", windowed));
        BuildPlan livePlan = BuildPlan.build(project, graph, selector, shadowed);
        if (usesState(shadowed)) {
            // The shadow graph knows nothing of the state: it builds the nodes chosen on the live graph, by id.
            // (Nothing selected stays nothing: an empty selection would mean everything.)
            shadowed = Selection.of(livePlan.nodes().isEmpty() ? "unique_id:nothing-selected"
                    : livePlan.nodes().stream().map(id -> "unique_id:" + id).collect(Collectors.joining(" ")));
        }
        ShadowBuild shadow = ShadowBuild.plan(project, graph, livePlan.nodes(), publishing,
                options.clock(), options.listener()).leavingOut(windowed);
        try (Session session = warehouse.openSession()) {
            shadow.prepare(session, options.fullRefresh());
        }
        Project shadowProject = shadow.shadowProject();
        ModelGraph shadowGraph = shadow.shadowGraph();
        RunLifecycle lifecycle = new RunLifecycle(shadowProject, shadowGraph, new NodeCatalog(shadowGraph),
                new Compiler(shadowProject, warehouse.engine(), options.clock(), options.empty()), artifacts, options, executor);
        RunResult run = lifecycle.execute(warehouse, BuildPlan.build(shadowProject, shadowGraph, shadowed), shadowed, graph,
                shadow);
        return new PublishedBuild(run, shadow.result());
    }

    private static boolean usesState(Selection selection) {
        return (selection.select() + " " + selection.exclude()).contains("state:");
    }

    /**
     * Makes the newest audited shadow live, in one transaction.
     *
     * @throws PublishRefusedException when there is no shadow, its audit failed, or a live relation changed
     *                                 since the audit; nothing is changed
     */
    public PublishResult publish() {
        try (Session session = warehouse.get().openSession()) {
            PublishLedger ledger = new PublishLedger(session);
            PublishLedger.Row open = ledger.latestOpen().orElseThrow(() -> new PublishRefusedException(
                    PublishRefusedException.Reason.NO_SHADOW, List.of(), "nothing to publish in " + warehouse.get().describe()
                    + ": no audited shadow; build one with 'soma build --audit' (or build and publish at once with 'soma build --publish')"));
            List<PublishLedger.Entry> entries = ledger.entries(open.runId());
            List<ShadowRelation> relations = entries.stream().map(PublishLedger.Entry::relation).toList();
            if (open.state() == PublishState.BUILDING) {
                throw new PublishRefusedException(PublishRefusedException.Reason.NO_SHADOW, List.of(),
                        "cannot publish run " + open.runId() + ": it stopped while building its shadow (killed, or still "
                                + "running) and was never audited; nothing was changed. Build again (soma build --publish or "
                                + "--audit), or drop what it left with 'soma publish --discard'");
            }
            if (open.state() == PublishState.FAILED) {
                throw new PublishRefusedException(PublishRefusedException.Reason.AUDIT_FAILED, List.of(),
                        "cannot publish run " + open.runId() + ": its audit failed (" + String.join(", ", open.failedTests())
                                + "); nothing was changed. Fix what failed and build again, or drop the shadow with 'soma publish --discard'");
            }
            boolean atomic = Publisher.isAtomic(session);
            options.listener().publishStarted(entries.size(), atomic);
            long start = System.nanoTime();
            Publisher.publish(session, open.runId(), entries, true, options.clock().instant());
            PublishResult result = new PublishResult(open.runId(), PublishState.PUBLISHED, relations, List.of(),
                    options.clock().instant(), Duration.ofNanos(System.nanoTime() - start), List.of(), atomic);
            options.listener().publishFinished(result);
            return result;
        }
    }

    /**
     * Drops the open shadow (audited or failed) without touching anything live.
     *
     * @throws PublishRefusedException when there is no open shadow
     */
    public PublishResult discard() {
        try (Session session = warehouse.get().openSession()) {
            PublishLedger ledger = new PublishLedger(session);
            PublishLedger.Row open = ledger.latestOpen().orElseThrow(() -> new PublishRefusedException(
                    PublishRefusedException.Reason.NO_SHADOW, List.of(), "nothing to discard in " + warehouse.get().describe()
                    + ": no shadow is open"));
            List<PublishLedger.Entry> entries = ledger.entries(open.runId());
            long start = System.nanoTime();
            Publisher.discard(session, open.runId(), entries, options.clock().instant());
            return new PublishResult(open.runId(), PublishState.DISCARDED,
                    entries.stream().map(PublishLedger.Entry::relation).toList(), open.failedTests(), null,
                    Duration.ofNanos(System.nanoTime() - start), List.of(), Publisher.isAtomic(session));
        }
    }

    /** Every shadow build recorded in {@code soma_meta.publishes}, newest first, with its relations. */
    public List<PublishResult> history() {
        try (Session session = warehouse.get().openSession()) {
            PublishLedger ledger = new PublishLedger(session);
            return ledger.all().stream().map(row -> new PublishResult(row.runId(), row.state(),
                    ledger.entries(row.runId()).stream().map(PublishLedger.Entry::relation).toList(), row.failedTests(),
                    row.publishedAt(), Duration.ZERO, List.of(), Publisher.isAtomic(session))).toList();
        }
    }
}
