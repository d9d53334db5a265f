package dev.soma.models.internal.compile;

import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.core.text.Checksums;
import dev.soma.models.internal.concurrent.OncePerKey;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.window.Window;
import dev.soma.models.internal.window.WindowSpec;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.template.TemplateOwner;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Compiles models of one project. Thread-safe: workers compile their own models concurrently;
 * ephemeral models are compiled once and shared.
 */
public final class Compiler {

    private final Project project;
    private final OncePerKey<String, Rendered> ephemeralCache = new OncePerKey<>();

    private final Engine engine;
    private final Dialect dialect;
    private final Clock clock;
    private final boolean empty;

    /**
     * @param engine the engine compiled for: its dialect renders {@code ref()}, {@code source()}, {@code this}
     *               and the macros
     * @param clock  what "now" is when a windowed model is compiled for display (its first due window)
     */
    public Compiler(Project project, Engine engine, Clock clock) {
        this(project, engine, clock, false, Map.of());
    }

    /**
     * @param engine the engine compiled for
     * @param clock  what "now" is when a windowed model is compiled for display (its first due window)
     * @param empty  dbt's {@code --empty}: every ref and source in a model or test reads zero rows
     */
    public Compiler(Project project, Engine engine, Clock clock, boolean empty) {
        this(project, engine, clock, empty, Map.of());
    }

    /**
     * @param engine   the engine compiled for: its dialect renders {@code ref()}, {@code source()}, {@code this}
     *                 and the macros
     * @param clock    what "now" is when a windowed model is compiled for display (its first due window)
     * @param empty    dbt's {@code --empty}: every ref and source in a model or test reads zero rows
     * @param deferred model and seed names whose {@code ref} reads another relation ({@code --defer}): the quoted
     *                 name it reads, e.g. {@code "prod"."analytics"."dim_books"}
     */
    public Compiler(Project project, Engine engine, Clock clock, boolean empty, Map<String, String> deferred) {
        this(project, engine, clock, empty, deferred, RenderCache.disabled());
    }

    /**
     * @param renders the compile renders of the last run, reused for unchanged models ({@link RenderCache})
     */
    public Compiler(Project project, Engine engine, Clock clock, boolean empty, Map<String, String> deferred,
                    RenderCache renders) {
        this.renders = renders;
        this.engine = engine;
        this.dialect = engine.dialect();
        this.project = project;
        this.clock = clock;
        this.empty = empty;
        this.deferred = Map.copyOf(deferred);
    }

    private final Map<String, String> deferred;
    private final RenderCache renders;

    /**
     * Starts reading the last run's renders on {@code executor}, so the first model compiled finds them read instead
     * of reading them itself (0.1 s on 10,000 models, on the worker's path).
     */
    public void preloadRenders(Executor executor) {
        renders.preload(executor);
    }

    /** Keeps this compiler's renders for the next run ({@link RenderCache#save}); never throws. */
    public void saveRenders() {
        renders.save();
    }

    /** The quoted relation a {@code ref} to {@code node} reads: its own, or the state's when deferred. */
    public String quoted(dev.soma.models.internal.project.Node node) {
        String elsewhere = deferred.get(node.name());
        return elsewhere != null && !(node instanceof dev.soma.models.internal.project.SourceNode) ? elsewhere
                : node.relation().quoted(dialect);
    }

    /** Whether a {@code ref} to {@code node} reads the state's relation ({@code --defer}). */
    public boolean isDeferred(dev.soma.models.internal.project.Node node) {
        return !(node instanceof dev.soma.models.internal.project.SourceNode) && deferred.containsKey(node.name());
    }

    /** The engine this compiles for. */
    public Engine engine() {
        return engine;
    }

    /** The dialect this compiles names and macros with. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Compiles {@code model}.
     *
     * @param incremental whether {@code is_incremental()} is true for this build (the model is
     *                    incremental, its table exists, and this is not a full refresh)
     */
    public CompiledModel compile(ModelNode model, boolean incremental) {
        if (model.materialized() == Materialization.WINDOWED) {
            // Compiled for its first window: what `soma compile` and the artifacts show.
            return compileWindow(model, WindowSpec.of(model.name(), model.path(), model.config()).window(0, clock.instant()));
        }
        return compile(model, incremental, null);
    }

    /** Compiles a windowed model for one window: {@code ${window.start}} and {@code ${window.end}} are its bounds. */
    public CompiledModel compileWindow(ModelNode model, Window window) {
        return compile(model, false, Map.of("start", window.startLiteral(), "end", window.endLiteral()));
    }

    private CompiledModel compile(ModelNode model, boolean incremental, Map<String, String> window) {
        CompileContext context = new CompileContext(project, dialect, model.relation().quoted(dialect), incremental, window,
                empty, deferred);
        String body = window == null ? renders.lookup(model, engine.name(), context) : null;
        if (body == null) {
            context = new CompileContext(project, dialect, model.relation().quoted(dialect), incremental, window, empty,
                    deferred);
            body = clean(project.templates().render(model.path(), TemplateOwner.model(model.name()), context));
            if (window == null) {
                renders.record(model, engine.name(), context, body);
            }
        }
        Map<String, String> ctes = new LinkedHashMap<>();
        for (String ephemeral : context.ephemerals()) {
            collectEphemeral(ephemeral, ctes);
        }
        String sql = EphemeralInliner.inline(body, ctes);
        List<String> pre = hooks(model, model.config().preHooks(), "pre_hook", incremental);
        List<String> post = hooks(model, model.config().postHooks(), "post_hook", incremental);
        return new CompiledModel(model, sql, incremental, pre, post, Checksums.sha256(sql));
    }

    /**
     * Compiles a test template (a singular test file, a custom generic test) to the query returning
     * its failing rows, ephemeral models inlined.
     *
     * @param variables extra variables for the template (a generic test's {@code model}, arguments)
     */
    public String compileTest(String template, TemplateOwner owner, Map<String, Object> variables) {
        CompileContext context = new CompileContext(project, dialect, dialect.quote("__no_model__"), false, null, empty,
                deferred);
        String body = clean(project.templates().render(template, owner, context, variables));
        Map<String, String> ctes = new LinkedHashMap<>();
        for (String ephemeral : context.ephemerals()) {
            collectEphemeral(ephemeral, ctes);
        }
        return EphemeralInliner.inline(body, ctes);
    }

    /**
     * The query an ephemeral model stands for, with the ephemeral models it reads inlined: what a
     * test on it reads, as dbt tests an ephemeral model against its inlined query.
     */
    public String ephemeralQuery(ModelNode model) {
        Rendered rendered = ephemeralCache.get(model.name(), this::renderEphemeral);
        Map<String, String> ctes = new LinkedHashMap<>();
        for (String dependency : rendered.ephemerals()) {
            collectEphemeral(dependency, ctes);
        }
        return EphemeralInliner.inline(rendered.sql(), ctes);
    }

    /** Renders a hook or other SQL text in the context of {@code model} (for {@code this}). */
    public String renderText(String name, String text, TemplateOwner owner, ModelNode model) {
        String self = model == null ? dialect.quote("__no_model__") : model.relation().quoted(dialect);
        CompileContext context = new CompileContext(project, dialect, self, false, null, empty, deferred);
        return clean(project.templates().renderText(name, text, owner, context));
    }

    private List<String> hooks(ModelNode model, List<String> hooks, String kind, boolean incremental) {
        List<String> compiled = new ArrayList<>(hooks.size());
        for (int i = 0; i < hooks.size(); i++) {
            CompileContext context = new CompileContext(project, dialect, model.relation().quoted(dialect), incremental, null,
                    empty, deferred);
            compiled.add(clean(project.templates().renderText(model.path() + "#" + kind + "[" + i + "]", hooks.get(i),
                    new TemplateOwner(kind + " of model", model.name()), context)));
        }
        return compiled;
    }

    /** Adds {@code name}'s CTE to {@code ctes}, after the CTEs it needs itself. */
    private void collectEphemeral(String name, Map<String, String> ctes) {
        if (ctes.containsKey(name)) {
            return;
        }
        Rendered rendered = ephemeralCache.get(name, this::renderEphemeral);
        for (String dependency : rendered.ephemerals()) {
            collectEphemeral(dependency, ctes);
        }
        ctes.put(name, rendered.sql());
    }

    private Rendered renderEphemeral(String name) {
        ModelNode model = project.models().get(name);
        CompileContext context = new CompileContext(project, dialect, model.relation().quoted(dialect), false, null, empty,
                deferred);
        String sql = clean(project.templates().render(model.path(), TemplateOwner.model(name), context));
        return new Rendered(sql, List.copyOf(context.ephemerals()));
    }

    private record Rendered(String sql, List<String> ephemerals) {
    }

    /** Trims whitespace and trailing semicolons: the SQL is embedded in CREATE … AS. */
    static String clean(String sql) {
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }
}
