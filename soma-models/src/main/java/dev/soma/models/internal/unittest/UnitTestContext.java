package dev.soma.models.internal.unittest;

import dev.soma.core.engine.Dialect;
import dev.soma.models.internal.project.VarResolver;
import dev.soma.models.internal.template.TemplateContext;
import freemarker.template.TemplateModelException;

import java.util.Map;

/**
 * The render of a model inside a unit test: each {@code ref} and {@code source} is the table holding that
 * input's rows, {@code this} the table of rows already built, {@code is_incremental()} what the test says,
 * and vars the test's overrides over the project's.
 */
final class UnitTestContext implements TemplateContext {

    private static final Map<String, String> WINDOW = Map.of(
            "start", "TIMESTAMP '1970-01-01 00:00:00'", "end", "TIMESTAMP '9999-12-31 00:00:00'");

    private final Map<String, String> refs;
    private final Map<String, String> sources;
    private final String self;
    private final boolean incremental;
    private final VarResolver vars;
    private final Dialect dialect;

    /**
     * @param refs    ref name to the quoted table standing for it
     * @param sources {@code source.table} to the quoted table standing for it
     * @param self    the quoted table {@code this} names
     * @param dialect how the unit test's database spells the cross-engine macros
     */
    UnitTestContext(Map<String, String> refs, Map<String, String> sources, String self, boolean incremental,
                    Map<String, Object> vars, Dialect dialect) {
        this.dialect = dialect;
        this.refs = refs;
        this.sources = sources;
        this.self = self;
        this.incremental = incremental;
        this.vars = new VarResolver(vars);
    }

    @Override
    public String ref(String name) throws TemplateModelException {
        String table = refs.get(name);
        if (table == null) {
            throw new TemplateModelException("ref(\"" + name + "\") is not an input of this model in the unit test");
        }
        return table;
    }

    @Override
    public String source(String source, String table) throws TemplateModelException {
        String input = sources.get(source + "." + table);
        if (input == null) {
            throw new TemplateModelException("source(\"" + source + "\", \"" + table + "\") is not an input of this model "
                    + "in the unit test");
        }
        return input;
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
    public boolean isIncremental() {
        return incremental;
    }

    /** A windowed model's unit test covers all of time: its given rows are the window's. */
    @Override
    public Map<String, String> window() {
        return WINDOW;
    }

    @Override
    public void config(Map<String, Object> values) {
        // read when the project was loaded
    }
}
