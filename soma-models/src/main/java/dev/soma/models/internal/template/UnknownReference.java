package dev.soma.models.internal.template;

import freemarker.template.TemplateModelException;

/**
 * Thrown by {@code ref} / {@code source} for a name that matches nothing; FreeMarker adds the line and
 * column of the call, and {@link TemplateEngine} turns it into an
 * {@link dev.soma.models.error.UnknownNodeException}.
 */
public final class UnknownReference extends TemplateModelException {

    private final String problem;
    private final String name;
    private final String suggestion;

    public UnknownReference(String message, String name, String suggestion) {
        super(message);
        this.problem = message;
        this.name = name;
        this.suggestion = suggestion;
    }

    /** {@code ref(name)} matched nothing; suggests the closest of {@code candidates}. */
    public static UnknownReference ref(String name, java.util.Collection<String> candidates) {
        String suggestion = dev.soma.core.text.Suggestions.closest(name, candidates).orElse(null);
        return new UnknownReference("ref(\"" + name + "\") matches no model or seed" + didYouMean(suggestion), name, suggestion);
    }

    /** {@code source(source, table)} matched nothing; suggests the closest of {@code candidates} ({@code source.table}). */
    public static UnknownReference source(String source, String table, java.util.Collection<String> candidates) {
        String key = source + "." + table;
        String suggestion = dev.soma.core.text.Suggestions.closest(key, candidates).orElse(null);
        return new UnknownReference("source(\"" + source + "\", \"" + table + "\") matches no source table declared in a "
                + "sources: block" + didYouMean(suggestion), key, suggestion);
    }

    private static String didYouMean(String suggestion) {
        return suggestion == null ? "" : " (did you mean '" + suggestion + "'?)";
    }

    /** The message as written, without the template stack FreeMarker appends to {@link #getMessage()}. */
    public String problem() {
        return problem;
    }

    public String name() {
        return name;
    }

    public String suggestion() {
        return suggestion;
    }
}
