package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

/**
 * A selection ({@code --select}, {@code Selection.of}) does not parse: names the term at fault, the
 * whole expression it came from, and what is wrong with it; the message ends with the fix.
 */
public class SelectorException extends SomaException {

    private final String selector;
    private final String expression;
    private final String problem;

    public SelectorException(String selector, String expression, String problem) {
        super(ErrorCode.INVALID_CONFIG, "invalid selector '" + selector + "' in '" + expression + "': " + problem);
        this.selector = selector;
        this.expression = expression;
        this.problem = problem;
    }

    /** The term at fault ({@code tga:daily}). */
    public String selector() {
        return selector;
    }

    /** The whole selection it came from. */
    public String expression() {
        return expression;
    }

    /** What is wrong with the term, and the fix. */
    public String problem() {
        return problem;
    }
}
