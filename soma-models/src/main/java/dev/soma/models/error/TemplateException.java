package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;

/**
 * A model's template failed to parse or render. Names the model, the file (which may be a macro
 * file the model called), the line and column, and shows the offending line with a caret.
 */
public class TemplateException extends ProjectException {

    private final String kind;
    private final String model;
    private final String detail;

    /**
     * @param kind  what was rendered: {@code model}, {@code test}, {@code on_run_end hook}, …
     * @param model its name
     */
    public TemplateException(String kind, String model, SourceLocation location, String detail, String excerpt,
                             Throwable cause) {
        super(ErrorCode.TEMPLATE_ERROR, location, message(kind + " " + model, detail, excerpt), cause);
        this.kind = kind;
        this.model = model;
        this.detail = detail;
    }

    /** The name of the model (or test, or hook) being rendered. */
    public String model() {
        return model;
    }

    /** What was rendered: {@code model}, {@code test}, {@code on_run_end hook}, {@code pre_hook of model}. */
    public String kind() {
        return kind;
    }

    /** What went wrong, without location. */
    public String detail() {
        return detail;
    }

    private static String message(String owner, String detail, String excerpt) {
        return "template error in " + owner + ": " + detail + (excerpt == null || excerpt.isEmpty() ? "" : "\n" + excerpt);
    }
}
