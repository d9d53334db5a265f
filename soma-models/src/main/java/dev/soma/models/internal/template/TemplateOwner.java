package dev.soma.models.internal.template;

/**
 * What a template is rendered for, named in errors: a kind ({@code model}, {@code test},
 * {@code on_run_end hook}, {@code pre_hook of model}) and a name.
 *
 * @param kind what it is
 * @param name its name; empty for a project hook
 */
public record TemplateOwner(String kind, String name) {

    public static TemplateOwner model(String name) {
        return new TemplateOwner("model", name);
    }

    public static TemplateOwner test(String name) {
        return new TemplateOwner("test", name);
    }

    /** A project hook, e.g. {@code on_run_end[0]}. */
    public static TemplateOwner hook(String kind, int index) {
        return new TemplateOwner(kind + " hook", kind + "[" + index + "]");
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
