package dev.soma.models.internal.publish;

import dev.soma.core.error.SomaException;
import dev.soma.core.engine.AuditBranches;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.Relation;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.ShadowRelation;
import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.materialize.IncrementStatements;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.materialize.RelationTypes;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.run.RunLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One write-audit-publish build around a run: before it, the shadow is made ready (older shadows dropped,
 * incremental models' shadows started on their live tables); after its nodes, the audit is judged and
 * recorded, and with {@link Publishing#PUBLISH} a passing shadow goes live ({@link Publisher}).
 *
 * <p>Not thread-safe: one per build.
 */
public final class ShadowBuild implements RunLifecycle.ShadowHooks {

    private static final SqlOwner OWNER = SqlOwner.soma("shadow");

    private final Project live;
    private final Project shadow;
    private final ModelGraph shadowGraph;
    private final List<String> built;
    private final Publishing mode;
    private final Clock clock;
    private final RunListener listener;
    private PublishResult result;
    private List<String> leftOut = List.of();
    private final String runId = UUID.randomUUID().toString();
    private boolean wentLive;
    private final Map<String, Relation> overLive = new LinkedHashMap<>();
    private final List<Relation> branched = new ArrayList<>();
    private final Map<String, String> liveByShadow = new HashMap<>();

    private ShadowBuild(Project live, Project shadow, ModelGraph shadowGraph, List<String> built, Publishing mode, Clock clock,
                        RunListener listener) {
        this.live = live;
        this.shadow = shadow;
        this.shadowGraph = shadowGraph;
        this.built = built;
        this.mode = mode;
        this.clock = clock;
        this.listener = listener;
        for (String id : built) {
            Node node = shadowGraph.node(id);
            Node liveNode = liveOf(node);
            liveByShadow.put(node.relation().quoted(), liveNode.relation().quoted());
        }
    }

    /**
     * Plans the shadow of the buildable nodes among {@code planned}.
     *
     * @throws ProjectException when the selection holds a windowed model (its windows are published one by
     *                          one by its own run; it cannot wait in a shadow)
     */
    public static ShadowBuild plan(Project live, ModelGraph liveGraph, Set<String> planned, Publishing mode, Clock clock,
                                   RunListener listener) {
        if (!mode.shadowed()) {
            throw new IllegalArgumentException("a shadow build needs AUDIT or PUBLISH, got " + mode);
        }
        Set<String> buildable = new LinkedHashSet<>();
        List<String> windowed = new ArrayList<>();
        for (String id : liveGraph.inOrder(planned)) {
            Node node = liveGraph.node(id);
            if (node instanceof ModelNode model && model.materialized() == Materialization.WINDOWED) {
                windowed.add(model.name());
            } else if ((node instanceof ModelNode model && !model.isEphemeral()) || node instanceof SeedNode) {
                buildable.add(id);
            }
        }
        if (!windowed.isEmpty()) {
            throw new ProjectException(null, "windowed model" + (windowed.size() == 1 ? " " : "s ") + String.join(", ", windowed)
                    + " cannot be built into a shadow: a windowed run replaces and audits each window in its own "
                    + "transaction. Leave " + (windowed.size() == 1 ? "it" : "them")
                    + " out of the publish build (--exclude config.materialized:windowed) and build "
                    + (windowed.size() == 1 ? "it" : "them") + " on their own");
        }
        Project shadow = ShadowLayout.shadowProject(live, buildable);
        ModelGraph shadowGraph = ModelGraph.of(shadow);
        return new ShadowBuild(live, shadow, shadowGraph, List.copyOf(buildable), mode, clock, listener);
    }

    /** The live node of a node of the shadow project. */
    private Node liveOf(Node shadowNode) {
        return shadowNode instanceof ModelNode ? live.models().get(shadowNode.name()) : live.seeds().get(shadowNode.name());
    }

    /** Names windowed models the caller left out of the selection, for the result. */
    public ShadowBuild leavingOut(List<String> windowed) {
        this.leftOut = List.copyOf(windowed);
        return this;
    }

    /** The project with the built nodes renamed to their shadows: what the run compiles and tests. */
    public Project shadowProject() {
        return shadow;
    }

    public ModelGraph shadowGraph() {
        return shadowGraph;
    }

    /**
     * Readies the database, on {@code session}: drops every shadow still open (one shadow at a time per
     * database) and any leftover shadow relation of this build, then readies each incremental model's
     * shadow so the increment is built and tested on what is live:
     * <ul>
     *   <li>as a view of its live table, which the increment's build turns into "live with the increment
     *   applied" without copying the live rows ({@code Materializer#incrementOverLive}); publishing then
     *   applies the increment to the live table;</li>
     *   <li>as a copy of the live table when the model has hooks (a hook may change any row of its table,
     *   which a view over live cannot show). DuckDB has no zero-copy clone of a table: {@code CREATE TABLE
     *   … AS SELECT} copies the rows.</li>
     * </ul>
     *
     * @param fullRefresh incremental models rebuild from scratch, so nothing is readied for them
     */
    public void prepare(Session session, boolean fullRefresh) {
        PublishLedger ledger = new PublishLedger(session);
        ledger.create();
        for (PublishLedger.Row open : ledger.open()) {
            Publisher.discard(session, open.runId(), ledger.entries(open.runId()), clock.instant());
        }
        Set<String> schemas = new TreeSet<>();
        for (String id : built) {
            Node node = shadowGraph.node(id);
            schemas.add(node.relation().schema());
        }
        schemas.forEach(session::createSchema);
        RelationTypes types = RelationTypes.load(session, schemas);
        refuseForeignRelations(types);
        // Recorded before any shadow relation is made: whatever a kill leaves is known to be Soma's.
        ledger.recordBuilding(runId, clock.instant(), entries(null, session.engine()));
        Optional<AuditBranches> branches = session.engine().auditBranches();
        for (String id : built) {
            Node node = shadowGraph.node(id);
            if (node instanceof ModelNode model && model.materialized() == Materialization.INCREMENTAL
                    && !(fullRefresh && !Boolean.FALSE.equals(model.config().fullRefresh()))) {
                Relation liveTable = live.models().get(model.name()).relation();
                if (branches.isPresent()) {
                    // The increment is written to a branch of the live table: it starts with the live rows,
                    // sharing their files, and publishing fast-forwards the table to it.
                    if (types.typeOf(liveTable) == RelationType.TABLE) {
                        branches.get().branch(session, liveTable.schema(), liveTable.identifier());
                        branched.add(node.relation());
                    }
                    continue;
                }
                Dialect d = session.engine().dialect();
                session.execute(OWNER, session.engine().dropTable(IncrementStatements.deltaFor(liveTable).quoted(d)));
                if (types.typeOf(liveTable) != RelationType.TABLE) {
                    continue;
                }
                if (model.config().preHooks().isEmpty() && model.config().postHooks().isEmpty()) {
                    session.execute(OWNER, "CREATE VIEW " + node.relation().quoted(d) + " AS SELECT * FROM " + liveTable.quoted(d));
                    overLive.put(id, liveTable);
                } else {
                    session.execute(OWNER, "CREATE TABLE " + node.relation().quoted(d) + " AS SELECT * FROM " + liveTable.quoted(d));
                }
            }
        }
    }

    /**
     * Every shadow Soma made is recorded and was just dropped with the shadow it belonged to, so a
     * relation still under a shadow's name is someone else's: a publish build would replace it.
     *
     * @throws ProjectException naming those relations and what to do
     */
    private void refuseForeignRelations(RelationTypes types) {
        List<String> taken = new ArrayList<>();
        for (String id : built) {
            Node node = shadowGraph.node(id);
            if (types.typeOf(node.relation()) != null) {
                taken.add(node.relation() + " (the shadow of " + node.name() + ")");
            }
        }
        if (!taken.isEmpty()) {
            throw new ProjectException(null, String.join(", ", taken) + (taken.size() == 1 ? " already exists" : " already exist")
                    + " and " + (taken.size() == 1 ? "was" : "were") + " not made by a Soma publish build: building into "
                    + "the shadow would replace " + (taken.size() == 1 ? "it" : "them") + ". Rename or drop "
                    + (taken.size() == 1 ? "it" : "them") + ", or build in place without --publish");
        }
    }

    /** The run this build records in {@code soma_meta}: the run's own id. */
    @Override
    public String runId() {
        return runId;
    }

    @Override
    public Map<String, Relation> incrementsOverLive() {
        return Map.copyOf(overLive);
    }

    /** The audit branches started from live tables in {@link #prepare}: they exist as tables when the run starts. */
    @Override
    public RelationTypes withShadows(RelationTypes existing) {
        return existing.with(branched, RelationType.TABLE);
    }

    @Override
    public Project liveProject() {
        return live;
    }

    @Override
    public String onLiveNames(String sql) {
        return ShadowLayout.onLiveNames(sql, liveByShadow);
    }

    @Override
    public RunResult afterNodes(Session session, RunResult run) {
        List<PublishLedger.Entry> entries = entries(session, session.engine());
        boolean atomic = Publisher.isAtomic(session);
        boolean onBranches = !atomic;
        List<String> failed = new ArrayList<>();
        for (NodeResult node : run.results()) {
            if (node.status().isFailure()) {
                failed.add(node.name());
            }
        }
        run.errors().forEach(error -> failed.add("the run (" + error.getMessage() + ")"));
        PublishLedger ledger = new PublishLedger(session);
        List<ShadowRelation> relations = entries.stream().map(PublishLedger.Entry::relation).toList();
        if (!failed.isEmpty()) {
            ledger.recordAudit(run.runId(), PublishState.FAILED, failed, clock.instant(), entries);
            if (onBranches) {
                // Nothing waits on a branch after a failed audit: production is as it was, and no branch stays.
                Publisher.discard(session, run.runId(), entries, clock.instant());
                result = new PublishResult(run.runId(), PublishState.FAILED, List.of(), failed, null, Duration.ZERO, leftOut, atomic);
                listener.publishFinished(result);
                return run;
            }
            // What is there to look at: a failure skips what is downstream, so not every shadow was built (an
            // incremental model's shadow exists from the start, as a view of live, built or not).
            RelationTypes built = RelationTypes.load(session, relations.stream().map(r -> r.shadow().schema()).toList());
            Set<String> skipped = new HashSet<>();
            run.results().stream().filter(r -> r.status() == NodeStatus.SKIPPED).forEach(r -> skipped.add(r.name()));
            List<ShadowRelation> kept = relations.stream()
                    .filter(r -> built.typeOf(r.shadow()) != null && !skipped.contains(r.model())).toList();
            result = new PublishResult(run.runId(), PublishState.FAILED, kept, failed, null, Duration.ZERO, leftOut, atomic);
        } else if (mode == Publishing.AUDIT) {
            List<PublishLedger.Entry> fingerprinted = new ArrayList<>(entries.size());
            for (PublishLedger.Entry entry : entries) {
                // On branches, publishing checks that each live table is still the branch's ancestor instead.
                fingerprinted.add(onBranches ? entry : entry.withFingerprint(Publisher.fingerprint(session, entry.relation().live())));
            }
            ledger.recordAudit(run.runId(), PublishState.AUDITED, List.of(), clock.instant(), fingerprinted);
            result = new PublishResult(run.runId(), PublishState.AUDITED, relations, List.of(), null, Duration.ZERO, leftOut, atomic);
        } else {
            ledger.recordAudit(run.runId(), PublishState.AUDITED, List.of(), clock.instant(), entries);
            listener.publishStarted(entries.size(), atomic);
            long start = System.nanoTime();
            try {
                Publisher.publish(session, run.runId(), entries, false, clock.instant());
                wentLive = true;
                result = new PublishResult(run.runId(), PublishState.PUBLISHED, relations, List.of(), clock.instant(),
                        Duration.ofNanos(System.nanoTime() - start), leftOut, atomic);
            } catch (SomaException e) {
                result = new PublishResult(run.runId(), PublishState.AUDITED, relations, List.of(), null, Duration.ZERO, leftOut, atomic);
                run = run.withError(e);
            }
        }
        listener.publishFinished(result);
        return run;
    }

    @Override
    public boolean wentLive() {
        return wentLive;
    }

    /** What became of the shadow; {@code null} until the run's nodes are done. */
    public PublishResult result() {
        return result;
    }

    /**
     * The shadow relations in build order: each view with its SQL compiled on the live names, each
     * increment built beside its live table with the statements that apply it there. With {@code session}
     * {@code null}: as planned, before anything is built (tables and views by materialization, no SQL).
     */
    private List<PublishLedger.Entry> entries(Session session, Engine engine) {
        Compiler liveCompiler = session == null ? null : new Compiler(live, session.engine(), clock);
        RelationTypes deltas = overLive.isEmpty() || session == null ? null : RelationTypes.load(session, List.of(RunStore.SCHEMA));
        List<PublishLedger.Entry> entries = new ArrayList<>(built.size());
        for (String id : built) {
            Node node = shadowGraph.node(id);
            Node liveNode = liveOf(node);
            Relation delta = IncrementStatements.deltaFor(liveNode.relation());
            if (deltas != null && overLive.containsKey(id) && deltas.typeOf(delta) == RelationType.TABLE) {
                ModelNode model = (ModelNode) liveNode;
                entries.add(new PublishLedger.Entry(new ShadowRelation(node.name(), liveNode.relation(), node.relation(),
                        ShadowRelation.INCREMENT), null, null, IncrementStatements.apply(session.engine(), model.incrementalStrategy(),
                        model.matchColumns(), liveNode.relation(), delta)));
                continue;
            }
            // On audit branches every relation is a table's branch (a view's too, where the catalog keeps none).
            boolean view = liveNode instanceof ModelNode model && model.materialized() == Materialization.VIEW
                    && engine.auditBranches().isEmpty();
            String sql = view && session != null ? liveCompiler.compile((ModelNode) liveNode, false).sql() : null;
            entries.add(new PublishLedger.Entry(new ShadowRelation(node.name(), liveNode.relation(), node.relation(),
                    view ? ShadowRelation.VIEW : ShadowRelation.TABLE), sql, null, List.of()));
        }
        return entries;
    }
}
