package dev.soma.models.internal.template;

import dev.soma.core.engine.Dialect;
import freemarker.template.TemplateModelException;

import java.util.Map;

/**
 * What the template functions ask of whoever renders: in the parse pass the answers are
 * placeholders and the calls are recorded; in the compile pass they are real relation names.
 */
public interface TemplateContext {

    /** {@code ref(name)}: the relation to select from. */
    String ref(String name) throws TemplateModelException;

    /** {@code source(source, table)}: the raw relation. */
    String source(String source, String table) throws TemplateModelException;

    /** {@code this}: the relation being built. */
    String self() throws TemplateModelException;

    /** {@code var(name)} / {@code var(name, default)}. */
    Object var(String name, Object defaultValue, boolean hasDefault) throws TemplateModelException;

    /** {@code is_incremental()}. */
    boolean isIncremental();

    /**
     * {@code ${window.start}} / {@code ${window.end}}: the window being built, as SQL timestamp literals
     * (half-open: start ≤ t < end). Only a windowed model has one.
     */
    default Map<String, String> window() throws TemplateModelException {
        throw new TemplateModelException("window is only defined in a windowed model; set materialized=\"windowed\" "
                + "with event_time, granularity and start, or remove ${window…}");
    }

    /**
     * How the engine spells what the cross-engine macros render ({@code datediff}, {@code safe_divide},
     * {@code type_string}, …; docs/engines.md).
     */
    Dialect dialect();

    /** {@code <@config key=value …/>}. */
    void config(Map<String, Object> values) throws TemplateModelException;
}
