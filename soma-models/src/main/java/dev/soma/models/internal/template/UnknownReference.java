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
