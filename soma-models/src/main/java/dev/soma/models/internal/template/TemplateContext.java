package dev.soma.models.internal.template;

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

    /** {@code <@config key=value …/>}. */
    void config(Map<String, Object> values) throws TemplateModelException;
}
