package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;

/**
 * A model's template failed to parse or render. Names the model, the file (which may be a macro
 * file the model called), the line and column, and shows the offending line with a caret.
 */
public class TemplateException extends ProjectException {

    private final String model;
    private final String detail;

    public TemplateException(String model, SourceLocation location, String detail, String excerpt, Throwable cause) {
        super(ErrorCode.TEMPLATE_ERROR, location, message(model, detail, excerpt), cause);
        this.model = model;
        this.detail = detail;
    }

    /** The model (or test, or hook) being rendered. */
    public String model() {
        return model;
    }

    /** What went wrong, without location. */
    public String detail() {
        return detail;
    }

    private static String message(String model, String detail, String excerpt) {
        return "template error in " + model + ": " + detail + (excerpt == null || excerpt.isEmpty() ? "" : "\n" + excerpt);
    }
}
