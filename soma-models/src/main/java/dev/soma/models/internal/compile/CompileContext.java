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

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The compile-time render: {@code ref} and {@code source} become quoted relation names (an ephemeral
 * model becomes the name of its CTE), {@code this} the model's own relation.
 */
final class CompileContext implements TemplateContext {

    private final Project project;
    private final Dialect dialect;
    private final String self;
    private final boolean incremental;
    private final VarResolver vars;
    private final Set<String> ephemerals = new LinkedHashSet<>();

    private final Map<String, String> window;

    CompileContext(Project project, Dialect dialect, String self, boolean incremental) {
        this(project, dialect, self, incremental, null);
    }

    CompileContext(Project project, Dialect dialect, String self, boolean incremental, Map<String, String> window) {
        this.window = window;
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
        if (target instanceof ModelNode model && model.isEphemeral()) {
            ephemerals.add(name);
            return EphemeralInliner.cteName(name);
        }
        return target.relation().quoted(dialect);
    }

    @Override
    public String source(String source, String table) throws TemplateModelException {
        SourceNode node = project.sources().get(source + "." + table);
        if (node == null) {
            throw UnknownReference.source(source, table, project.sources().keySet());
        }
        return node.relation().quoted(dialect);
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
        return vars.resolve(name, defaultValue, hasDefault);
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
