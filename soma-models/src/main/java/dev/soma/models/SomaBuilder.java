package dev.soma.models;

import dev.soma.core.config.Threads;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.listing.ListingSnapshot;
import dev.soma.models.internal.parser.ProjectFingerprint;
import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.compile.RenderCache;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.ProjectFile;
import dev.soma.models.internal.parser.ProjectParser;
import dev.soma.models.internal.project.YamlReader;
import dev.soma.models.internal.run.RunOptions;
import dev.soma.models.internal.database.EarlyWarehouse;
import dev.soma.models.internal.database.LazyWarehouse;
import dev.soma.models.internal.database.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.soma.models.internal.window.WindowedBuild;
import dev.soma.models.error.StateException;
import dev.soma.models.internal.state.StateManifest;
import dev.soma.models.internal.state.StateOptions;
import java.time.Instant;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Configures a {@link Soma}. The only mutable type of the API; not thread-safe.
 *
 * <p>Defaults: target from {@code default_target} (or {@code dev}); threads from the target, else 4;
 * database from {@link #warehouse}, else {@link #database}, else the target's (relative to the project folder),
 * else {@code soma.duckdb} in the project folder;
 * no full refresh; no fail-fast; target directory {@code <project>/target} (or {@code ./target} for a
 * project inside a jar); the system UTC clock.
 */
public final class SomaBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SomaBuilder.class);

    private Path projectDir;
    private ClasspathProject classpathProject;
    private Warehouse warehouse;
    private Path database;
    private String target;
    private Integer threads;
    private final Map<String, Object> vars = new LinkedHashMap<>();
    private boolean fullRefresh;
    private Instant windowsFrom;
    private Instant windowsTo;
    private boolean failFast;
    private RunListener listener = RunListener.NONE;
    private Path targetDir;
    private Clock clock = Clock.systemUTC();
    private boolean foldTests = true;
    private boolean fullTest;
    private boolean empty;
    private boolean allowUnbuilt;
    private boolean mustExist;
    private boolean partialParse = true;
    private Path stateDir;
    private boolean defer;
    private boolean favorState;
    private boolean openDatabaseEarly;

    SomaBuilder() {
    }

    /** The project directory (holding {@code soma_project.yml}). */
    public SomaBuilder project(Path projectDir) {
        this.projectDir = projectDir;
        this.classpathProject = null;
        return this;
    }

    /** A project shipped on the class path; the {@code Soma} closes it when it closes. */
    public SomaBuilder project(ClasspathProject project) {
        this.classpathProject = project;
        this.projectDir = project.root();
        return this;
    }

    /** Work on this warehouse; the caller keeps ownership and closes it. */
    public SomaBuilder warehouse(Warehouse warehouse) {
        this.warehouse = warehouse;
        return this;
    }

    /**
     * For read-only work ({@code show}, {@code compile}, {@code test}): never create a database file;
     * a missing one is an error naming the path and what to run. Default: {@code false} (created).
     */
    public SomaBuilder existingDatabaseOnly(boolean mustExist) {
        this.mustExist = mustExist;
        return this;
    }

    /** Open (and own) this database file instead of the target's. */
    public SomaBuilder database(Path database) {
        this.database = database;
        return this;
    }

    /** Which of the project's targets to use. */
    public SomaBuilder target(String target) {
        this.target = target;
        return this;
    }

    /** Worker connections, 1 to 1024 ({@link Threads}). */
    public SomaBuilder threads(int threads) {
        this.threads = Threads.require("threads", threads);
        return this;
    }

    /** Vars over the project's own, as {@code --vars} does. */
    public SomaBuilder vars(Map<String, ?> vars) {
        this.vars.putAll(vars);
        return this;
    }

    /**
     * Vars given as YAML text, e.g. {@code {start_date: 2024-01-01}}.
     *
     * @param origin where the text came from ({@code --vars}), named in errors
     */
    public SomaBuilder varsYaml(String origin, String yaml) {
        this.vars.putAll(new YamlReader().readMap(origin, yaml));
        return this;
    }

    /** Rebuild incremental models from scratch. */
    public SomaBuilder fullRefresh(boolean fullRefresh) {
        this.fullRefresh = fullRefresh;
        return this;
    }

    /**
     * Process the windows of windowed models that start in [{@code from}, {@code to}) again, whatever
     * their state ({@code --windows FROM..TO}). A window whose source and target still match is skipped.
     */
    public SomaBuilder windows(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "--windows needs FROM before TO, got " + from + ".." + to);
        }
        this.windowsFrom = from;
        this.windowsTo = to;
        return this;
    }

    /**
     * In {@code test}: skip a test whose models or seeds were never built (their relations are not in the
     * database), saying so, instead of failing it as dbt does. Default {@code false}.
     */
    public SomaBuilder allowUnbuilt(boolean allowUnbuilt) {
        this.allowUnbuilt = allowUnbuilt;
        return this;
    }

    /**
     * Test every row of incremental models ({@code --full-test}). By default, when a model was built
     * incrementally in the same run and its tests passed on the whole table the last time they ran,
     * row-local tests check only the rows this run added or changed, {@code unique} checks only their
     * keys (against the whole table) and {@code relationships} only their references: the same results
     * as a full test, at the cost of the increment. A full refresh always tests everything.
     */
    public SomaBuilder fullTest(boolean fullTest) {
        this.fullTest = fullTest;
        return this;
    }

    /**
     * dbt's {@code --empty}: every {@code ref} and {@code source} in a model or test reads zero rows
     * ({@code (select * from … where false limit 0)}), so {@code run}, {@code build} and {@code compile}
     * check the whole project's SQL in seconds. Models are built, as empty relations; seeds load in
     * full. Default off.
     */
    public SomaBuilder empty(boolean empty) {
        this.empty = empty;
        return this;
    }

    /** Stop starting new nodes after the first failure. */
    public SomaBuilder failFast(boolean failFast) {
        this.failFast = failFast;
        return this;
    }

    /** Hears node start and finish, e.g. to show progress. */
    public SomaBuilder listener(RunListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Where compiled SQL and artifacts go. */
    public SomaBuilder targetDir(Path targetDir) {
        this.targetDir = targetDir;
        return this;
    }

    /**
     * Whether column checks on one relation share one scan (default). Off only to measure what
     * folding saves; results are the same either way.
     */
    public SomaBuilder foldTests(boolean foldTests) {
        this.foldTests = foldTests;
        return this;
    }

    /**
     * Whether loading keeps what rendering each model found in {@code target/partial_parse.bin} and
     * reuses it while the model's file, the macros and the vars it reads are unchanged. Default
     * {@code true}; off renders every model on every load ({@code --no-partial-parse}).
     */
    public SomaBuilder partialParse(boolean partialParse) {
        this.partialParse = partialParse;
        return this;
    }

    /**
     * Compare with an earlier run: {@code dir} holds its {@code manifest.json} (production's {@code target/}, kept by
     * CI). Enables the {@code state:} selectors and {@link #defer}. Default: none.
     */
    public SomaBuilder state(Path dir) {
        this.stateDir = dir;
        return this;
    }

    /**
     * dbt's {@code --defer} (needs {@link #state}): a {@code ref} to a model the run does not build, and that does
     * not exist here, reads the relation the state's manifest records (docs/ci.md). Default {@code false}.
     */
    public SomaBuilder defer(boolean defer) {
        this.defer = defer;
        return this;
    }

    /** dbt's {@code --favor-state}: with {@link #defer}, read the state's relation even when one exists here. */
    public SomaBuilder favorState(boolean favorState) {
        this.favorState = favorState;
        return this;
    }

    /**
     * For a caller that will use the database right after building: open the target's database file (when it already
     * exists) on a thread of its own while the project loads, instead of on the first verb that needs it. Saves what
     * opening costs on a second core (the DuckDB driver's start and reading the catalog: about a second with 10,000
     * views). A project that fails to load closes it again and creates nothing. Default {@code false}: the database is
     * opened on first need, and {@link #build()} never touches it ({@code soma ls}, {@code show}).
     */
    public SomaBuilder openDatabaseEarly(boolean openDatabaseEarly) {
        this.openDatabaseEarly = openDatabaseEarly;
        return this;
    }

    /** The one clock for run and node timestamps, artifacts and source freshness. */
    public SomaBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Loads and checks the project. Opens no database: that happens when a verb first needs one.
     *
     * @throws ProjectException for anything wrong in the project, naming file and line
     */
    public Soma build() {
        return build(null);
    }

    /**
     * What {@code build().list(Selection.all())} gives, closing what it opened: every node in listing order. When
     * nothing the load depends on changed since the last time (every project file's path, size, time and inode, the
     * vars given here, the target's name, this build of Soma: {@link ProjectFingerprint}), it comes from
     * {@code target/ls_snapshot.bin} without loading the project ({@link ListingSnapshot}); otherwise the project is
     * loaded and the snapshot written again. Never with {@link #partialParse} off, a {@link #state}, a project on the
     * class path or a {@link #targetDir} other than the project's {@code target} folder.
     *
     * @throws ProjectException for anything wrong in the project, as {@link #build()}
     */
    public List<NodeInfo> listAll() {
        Path snapshotDir = projectDir == null ? null : projectDir.toAbsolutePath().normalize().resolve("target");
        boolean snapshots = snapshotDir != null && partialParse && classpathProject == null && stateDir == null && !defer
                && !favorState && (targetDir == null || targetDir.toAbsolutePath().normalize().equals(snapshotDir))
                && projectDir.getFileSystem() == FileSystems.getDefault();
        ProjectFingerprint fingerprint = snapshots ? ProjectFingerprint.take(projectDir, target, vars) : null;
        if (snapshots) {
            List<NodeInfo> kept = ListingSnapshot.read(snapshotDir, fingerprint);
            if (kept != null) {
                return kept;
            }
        }
        AtomicInteger folderWarnings = new AtomicInteger();
        try (Soma soma = build(folderWarnings)) {
            List<NodeInfo> nodes = soma.list(Selection.all());
            // a load that warned must warn again: the snapshot would be silent
            if (snapshots && folderWarnings.get() == 0 && soma.targetDir().toAbsolutePath().normalize().equals(snapshotDir)) {
                ListingSnapshot.write(snapshotDir, fingerprint, nodes);
            }
            return nodes;
        }
    }

    private Soma build(AtomicInteger folderWarnings) {
        if (projectDir == null) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "no project given; call project(Path) on the builder");
        }
        ExecutorService executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), new Workers());
        AtomicReference<EarlyWarehouse> early = new AtomicReference<>();
        try {
            ProjectParser parser = new ProjectParser(executor, partialParse && classpathProject == null, targetDir);
            Project project = parser.parse(projectDir, vars, (root, settings) -> {
                if (openDatabaseEarly && warehouse == null) {
                    early.set(openEarly(settings, root));
                }
            });
            if (folderWarnings != null) {
                folderWarnings.set(parser.folderWarnings());
            }
            ModelGraph graph = ModelGraph.of(project);
            Target chosen = Target.choose(project, target);
            Path targets = targetDir != null ? targetDir
                    : project.root().getFileSystem() == FileSystems.getDefault()
                    ? project.root().resolve(project.settings().targetPath())
                    : Path.of(project.settings().targetPath());
            RunOptions options = new RunOptions(chosen.threads(threads), fullRefresh, failFast, listener, clock, vars, foldTests,
                    windowsFrom == null ? null : new WindowedBuild.Rerun(windowsFrom, windowsTo), fullTest, empty,
                    allowUnbuilt);
            if (warehouse != null) {
                chosen.applySettings(warehouse);
            }
            LOG.debug("loaded project {} with {} nodes", project.name(), graph.order().size());
            if ((defer || favorState) && stateDir == null) {
                throw new StateException(null, "--defer reads the models it does not build from an earlier run: give that "
                        + "run's artifacts with --state DIR");
            }
            StateOptions state = new StateOptions(stateDir == null ? null : StateManifest.read(stateDir), defer || favorState,
                    favorState, chosen.name());
            RenderCache renders = RenderCache.open(targets, project, partialParse && classpathProject == null);
            LazyWarehouse lazy = early.get() == null ? new LazyWarehouse(chosen, project.root(), warehouse, database, mustExist)
                    : new LazyWarehouse(chosen, project.root(), database, mustExist, early.get());
            Soma soma = new Soma(project, graph, chosen, options, targets, executor, lazy, classpathProject, state, renders);
            early.set(null);   // the Soma closes it from now on
            return soma;
        } catch (RuntimeException e) {
            closeQuietly(early.get());
            executor.shutdownNow();
            closeQuietly(classpathProject);
            throw e;
        }
    }

    /** Starts opening the database the target named by the builder would open, or {@code null} (see {@link EarlyWarehouse}). */
    private EarlyWarehouse openEarly(ProjectFile settings, Path root) {
        Target chosen;
        try {
            chosen = Target.choose(settings, target);
        } catch (RuntimeException e) {
            return null; // an unknown target: the load reports it
        }
        return EarlyWarehouse.start(chosen, root, database, mustExist);
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("ignored failure closing {}", closeable, e);
        }
    }

    /** Daemon threads, so an instance never closed cannot keep the JVM alive. */
    private static final class Workers implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(work, "soma-load-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
