package dev.soma.models.internal.run;

import dev.soma.core.engine.Engine;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.FileAccessException;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ProjectWarning;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.materialize.Materializer;
import dev.soma.models.internal.materialize.Outcome;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.materialize.RelationTypes;
import dev.soma.models.internal.materialize.RunIncrements;
import dev.soma.models.internal.materialize.ViewLedger;
import dev.soma.models.internal.project.IncrementalStrategy;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SnapshotNode;
import dev.soma.models.internal.snapshot.SnapshotBuild;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.UnitTestNode;
import dev.soma.models.internal.unittest.UnitTestRunner;
import dev.soma.models.internal.datatest.TestExecutor;
import dev.soma.models.internal.window.WindowedBuild;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Builds one model or seed on a worker's session: compile, write the compiled SQL, materialize.
 * Every failure becomes an error result naming the model and what to do.
 */
public final class NodeExecutor {

    private final Project project;
    private final Compiler compiler;
    private final Materializer materializer;
    private final ArtifactWriter artifacts;
    private final boolean fullRefresh;
    private final Clock clock;
    private final NodeCatalog catalog;

    private final String runId;
    private final Instant now;
    private final WindowedBuild.Rerun windows;
    private final Map<String, String> replacedInputs;
    private final int threads;
    private final Supplier<Session> sessions;
    private final RunIncrements increments;
    private final Map<String, Relation> incrementsOverLive;
    private final UnitTestRunner unitTests;
    private final ViewFreshness views;
    private final Predicate<String> batched;

    /**
     * @param runId          the run, named in window locks
     * @param now            the run's "now", fixed once per run: which windows are due
     * @param windows        windows asked for again, or {@code null}
     * @param replacedInputs incremental models (by unique id) whose inputs were replaced since their last
     *                       build, with which input: these rebuild in full
     * @param threads        the run's threads: a windowed model spreads its windows over up to this many connections
     * @param sessions       opens a further connection to the run's database, for a windowed model's windows
     * @param increments     told what each build did, for the run's tests; says which increments to keep
     * @param incrementsOverLive incremental models (by unique id) built into a shadow that reads their live
     *                       table, with that table ({@link Materializer#incrementOverLive}); empty outside a
     *                       write-audit-publish build
     * @param views          which views may be kept as they are, and the record of those built
     * @param batched        nodes the runner builds in a batch's transaction ({@link Runner.Batching}): a view among
     *                       them is kept when unchanged and recorded with its batch; any other view is built
     *                       with its record deleted
     */
    NodeExecutor(Project project, Compiler compiler, ArtifactWriter artifacts, boolean fullRefresh, Clock clock,
                 NodeCatalog catalog, String runId, Instant now, WindowedBuild.Rerun windows,
                 Map<String, String> replacedInputs, int threads, Supplier<Session> sessions,
                 RunIncrements increments, Map<String, Relation> incrementsOverLive, ViewFreshness views,
                 Predicate<String> batched) {
        this.views = views;
        this.batched = batched;
        this.increments = increments;
        this.incrementsOverLive = Map.copyOf(incrementsOverLive);
        this.runId = runId;
        this.threads = threads;
        this.sessions = sessions;
        this.now = now;
        this.windows = fullRefresh ? WindowedBuild.Rerun.ALL : windows;
        this.replacedInputs = replacedInputs;
        this.materializer = new Materializer(project.root());
        this.project = project;
        this.compiler = compiler;
        this.artifacts = artifacts;
        this.fullRefresh = fullRefresh;
        this.clock = clock;
        this.catalog = catalog;
        this.unitTests = new UnitTestRunner(project, catalog, artifacts, clock);
    }

    /** Whether {@code is_incremental()} holds for {@code model}, given what exists now ({@code null}: nothing). */
    public static boolean isIncremental(ModelNode model, RelationType existing, boolean fullRefresh) {
        if (model.materialized() != Materialization.INCREMENTAL) {
            return false;
        }
        boolean refresh = fullRefresh && !Boolean.FALSE.equals(model.config().fullRefresh());
        return !refresh && existing == RelationType.TABLE;
    }

    /**
     * Builds a model or seed, runs a data test with {@code tests} or a unit test; {@code existing} says what
     * is in the warehouse.
     */
    public NodeResult execute(Node node, Session session, RelationTypes existing, TestExecutor tests) {
        if (node instanceof TestNode test) {
            return tests.run(test, session);
        }
        if (node instanceof UnitTestNode unit) {
            return unitTests.run(unit); // in a database of its own: the warehouse is not read
        }
        return build(node, node.relation() == null ? null : existing.typeOf(node.relation()), session);
    }

    private NodeResult build(Node node, RelationType existing, Session session) {
        Instant start = clock.instant();
        Path compiledPath = null;
        String checksum = null;
        try {
            Outcome outcome;
            if (node instanceof ModelNode model && model.materialized() == Materialization.WINDOWED) {
                increments.recordRebuilt(model.uniqueId());
                return windowed(model, session, start);
            } else if (node instanceof ModelNode model) {
                String replacedInput = replacedInputs.get(model.uniqueId());
                Relation live = incrementsOverLive.get(model.uniqueId());
                boolean incremental = (live != null || isIncremental(model, existing, fullRefresh)) && replacedInput == null;
                CompiledModel compiled = compiler.compile(model, incremental);
                compiledPath = artifacts.writeCompiled(model.path(), compiled.sql());
                checksum = compiled.checksum();
                // hooks may change any row of the table, so its increment would not be all that changed
                boolean keep = incremental && increments.wanted(model.uniqueId())
                        && compiled.preHooks().isEmpty() && compiled.postHooks().isEmpty();
                if (model.materialized() == Materialization.VIEW) {
                    outcome = view(compiled, existing, session, compiledPath);
                } else {
                    outcome = incremental && live != null
                            ? materializer.incrementOverLive(compiled, live, session, compiledPath, keep)
                            : materializer.materialize(compiled, existing, session, compiledPath, keep);
                }
                if (outcome.increment() != null) {
                    increments.recordIncrement(model.uniqueId(), outcome.increment());
                }
                if (!incremental || model.incrementalStrategy() != IncrementalStrategy.APPEND) {
                    increments.recordRebuilt(model.uniqueId());
                }
                if (replacedInput != null && existing != null) {
                    outcome = new Outcome(outcome.rows(), outcome.message() + ", rebuilt in full: " + replacedInput
                            + " was replaced since its last build");
                }
            } else if (node instanceof SeedNode seed) {
                increments.recordRebuilt(seed.uniqueId());
                outcome = loadSeed(seed, existing, session);
            } else if (node instanceof SnapshotNode snapshot) {
                increments.recordRebuilt(snapshot.uniqueId());
                Relation read = snapshot.readsRef() != null ? project.refTarget(snapshot.readsRef()).relation()
                        : project.sources().get(snapshot.readsSource()).relation();
                outcome = SnapshotBuild.run(snapshot, "SELECT * FROM " + read.quoted(session.engine().dialect()), existing, session,
                        now);
            } else {
                throw new SomaException(ErrorCode.INTERNAL, node.uniqueId() + " is not buildable");
            }
            // The row count goes on the first line; warnings, if any, follow on lines of their own.
            int lineEnd = outcome.message().indexOf('\n') < 0 ? outcome.message().length() : outcome.message().indexOf('\n');
            String message = outcome.rows() >= 0
                    ? outcome.message().substring(0, lineEnd) + " (" + String.format(Locale.ROOT, "%,d", outcome.rows())
                    + (outcome.rows() == 1 ? " row)" : " rows)") + outcome.message().substring(lineEnd)
                    : outcome.message();
            return new NodeResult(catalog.info(node), NodeStatus.SUCCESS, message, outcome.rows(), -1, List.of(), start,
                    Duration.between(start, clock.instant()), compiledPath, checksum, null);
        } catch (SomaException e) {
            return new NodeResult(catalog.info(node), NodeStatus.ERROR, e.getMessage(), -1, -1, List.of(), start,
                    Duration.between(start, clock.instant()), compiledPath, checksum, e);
        }
    }

    /**
     * A view: in a batch, kept when {@link ViewFreshness} finds it unchanged, else created and recorded with
     * the batch; outside a batch, created after its record is deleted (nothing records it).
     */
    private Outcome view(CompiledModel compiled, RelationType existing, Session session, Path compiledPath) {
        ModelNode model = compiled.model();
        if (!batched.test(model.uniqueId())) {
            if (existing == RelationType.VIEW) {
                ViewLedger.forget(session, List.of(ViewLedger.key(model.relation())));
            }
            return materializer.materialize(compiled, existing, session, compiledPath, false);
        }
        String fingerprint = views.fingerprint(compiled, session);
        if (views.unchanged(compiled, existing, fingerprint)) {
            views.kept(model, fingerprint);
            return new Outcome(-1, UNCHANGED_VIEW);
        }
        Outcome outcome = materializer.materialize(compiled, existing, session, compiledPath, false);
        views.built(session, model, fingerprint);
        return outcome;
    }

    /** The message of a view kept as it was. */
    static final String UNCHANGED_VIEW = "VIEW unchanged (kept: same SQL, same input columns)";

    private NodeResult windowed(ModelNode model, Session session, Instant start) {
        CompiledModel first = compiler.compile(model, false);
        Path compiledPath = artifacts.writeCompiled(model.path(), first.sql());
        Engine engine = session.engine();
        // Without transactions each window's statements commit on their own, and two workers' commits to one
        // table would fail each other's (optimistic concurrency): one worker. Several processes may write such a
        // store, so only a lock's age says its run is gone.
        WindowedBuild.Summary summary = new WindowedBuild(model, window -> compiler.compileWindow(model, window), runId, now,
                clock, windows, engine.supportsTransactions() ? threads : 1, sessions, engine.oneWriterProcess()).run(session);
        String message = summary.message();
        for (ProjectWarning warning : project.warningsFor(model.name())) {
            message = message + "\n  warning: " + warning.message();
        }
        if (summary.error() != null) {
            message = summary.error().getMessage() + "\n" + message;
        }
        if (!summary.notes().isEmpty()) {
            message = message + "\n  " + String.join("\n  ", summary.notes());
        }
        return new NodeResult(catalog.info(model), summary.error() == null ? NodeStatus.SUCCESS : NodeStatus.ERROR, message,
                summary.rows(), -1, List.of(), start, Duration.between(start, clock.instant()), compiledPath,
                first.checksum(), summary.error(), null, summary.notices());
    }

    private Outcome loadSeed(SeedNode seed, RelationType existing, Session session) {
        Path csv = project.root().resolve(seed.path());
        if (csv.getFileSystem() == FileSystems.getDefault()) {
            return materializer.loadSeed(seed, csv, existing, session);
        }
        // DuckDB reads files from disk: a seed inside a jar is copied out first.
        try {
            Path copy = Files.createTempFile("soma-seed-" + seed.name(), ".csv");
            try {
                Files.copy(csv, copy, StandardCopyOption.REPLACE_EXISTING);
                return materializer.loadSeed(seed, copy, existing, session);
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new FileAccessException(csv, "cannot copy seed " + seed.name() + " out of the project", e);
        }
    }
}
