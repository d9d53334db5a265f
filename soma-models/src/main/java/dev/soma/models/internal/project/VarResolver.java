package dev.soma.models.internal.project;

import dev.soma.core.text.Suggestions;
import freemarker.template.TemplateModelException;

import java.util.Map;

/** Looks up {@code var(name)}: command-line vars over project vars, then the template's default. */
public final class VarResolver {

    private final Map<String, Object> vars;

    public VarResolver(Map<String, Object> vars) {
        this.vars = vars;
    }

    /** Every var that is set (project vars under command-line vars). */
    public Map<String, Object> values() {
        return vars;
    }

    /** How a cache remembers the var {@code name}: its type and value, or that it was not set. */
    public static String describe(Map<String, Object> vars, String name) {
        if (!vars.containsKey(name)) {
            return "-";
        }
        Object value = vars.get(name);
        return value == null ? "=null" : "=" + value.getClass().getName() + ":" + value;
    }

    public Object resolve(String name, Object defaultValue, boolean hasDefault) throws TemplateModelException {
        if (vars.containsKey(name)) {
            return vars.get(name);
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new TemplateModelException("var(\"" + name + "\") is not set" + Suggestions.didYouMean(name, vars.keySet())
                + "; define it under vars: in soma_project.yml, pass --vars '{" + name + ": …}', or give a default: var(\""
                + name + "\", default)");
    }
}
