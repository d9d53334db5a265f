package dev.soma.models.internal.compile;

import dev.soma.core.engine.Dialect;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.VarResolver;
import dev.soma.models.internal.template.TemplateContext;
import dev.soma.models.internal.template.UnknownReference;
import freemarker.template.TemplateModelException;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The compile-time render: {@code ref} and {@code source} become quoted relation names (an ephemeral
 * model becomes the name of its CTE), {@code this} the model's own relation. With {@code --empty} each
 * ref and source reads zero rows.
 */
final class CompileContext implements TemplateContext {

    private final Project project;
    private final Dialect dialect;
    private final String self;
    private final boolean incremental;
    private final VarResolver vars;
    private final Set<String> ephemerals = new LinkedHashSet<>();
    /** What each {@code ref}, {@code source} and {@code var} of this render answered, in first-call order ({@link RenderCache}). */
    private final Map<String, String> refsSeen = new LinkedHashMap<>();
    private final Map<String, String> sourcesSeen = new LinkedHashMap<>();
    private final Set<String> varsRead = new LinkedHashSet<>();

    private final Map<String, String> window;
    private final boolean empty;

    CompileContext(Project project, Dialect dialect, String self, boolean incremental) {
        this(project, dialect, self, incremental, null, false, Map.of());
    }

    /** Model and seed names whose {@code ref} reads another relation than their own ({@code --defer}), to its quoted name. */
    private final Map<String, String> deferred;

    /**
     * @param dialect  the engine's dialect: how {@code ref}, {@code source} and the macros are spelt
     * @param empty    {@code --empty}: every ref and source reads zero rows
     * @param deferred model and seed names whose {@code ref} reads another relation ({@code --defer})
     */
    CompileContext(Project project, Dialect dialect, String self, boolean incremental, Map<String, String> window,
                   boolean empty, Map<String, String> deferred) {
        this.deferred = deferred;
        this.window = window;
        this.empty = empty;
        this.project = project;
        this.dialect = dialect;
        this.self = self;
        this.incremental = incremental;
        this.vars = new VarResolver(project.vars());
    }

    @Override
    public String ref(String name) throws TemplateModelException {
        Node target = project.refTarget(name);
        if (target == null) {
            throw UnknownReference.ref(name, project.refNames());
        }
        String answer;
        if (target instanceof ModelNode model && model.isEphemeral()) {
            ephemerals.add(name);
            answer = EphemeralInliner.cteName(name);
        } else {
            String elsewhere = deferred.get(name);
            answer = limited(elsewhere != null ? elsewhere : target.relation().quoted(dialect));
        }
        refsSeen.putIfAbsent(name, answer);
        return answer;
    }

    @Override
    public String source(String source, String table) throws TemplateModelException {
        SourceNode node = project.sources().get(source + "." + table);
        if (node == null) {
            throw UnknownReference.source(source, table, project.sources().keySet());
        }
        String answer = limited(node.relation().quoted(dialect));
        sourcesSeen.putIfAbsent(source + "\u0000" + table, answer);
        return answer;
    }

    /**
     * dbt's {@code --empty}: the relation as a subquery of no rows, so the SQL is checked and typed
     * without reading data. No alias of its own, as dbt on DuckDB: the model's alias follows it.
     */
    private String limited(String relation) {
        return empty ? "(select * from " + relation + " where false limit 0)" : relation;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public Object var(String name, Object defaultValue, boolean hasDefault) throws TemplateModelException {
        varsRead.add(name);
        return vars.resolve(name, defaultValue, hasDefault);
    }

    /** Whether {@code name} is set and to what, as {@link RenderCache} compares it. */
    String varState(String name) {
        return VarResolver.describe(vars.values(), name);
    }

    Map<String, String> refsSeen() {
        return refsSeen;
    }

    Map<String, String> sourcesSeen() {
        return sourcesSeen;
    }

    Set<String> varsRead() {
        return varsRead;
    }

    @Override
    public Map<String, String> window() throws TemplateModelException {
        return window == null ? TemplateContext.super.window() : window;
    }

    @Override
    public boolean isIncremental() {
        return incremental;
    }

    @Override
    public void config(Map<String, Object> values) {
        // Config was read in the parse pass; the compile pass only renders SQL.
    }

    /** Ephemeral models this render referenced, in first-use order. */
    Set<String> ephemerals() {
        return ephemerals;
    }
}
