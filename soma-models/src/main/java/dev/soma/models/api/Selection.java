package dev.soma.models.api;

import dev.soma.models.internal.selection.SelectionExpression;

/**
 * Which nodes to act on, in dbt's selection syntax. The syntax is checked when the selection is made
 * (a {@link dev.soma.core.error.SomaException} with code {@code INVALID_CONFIG} names the bad term).
 *
 * <pre>{@code
 * Selection.all()
 * Selection.of("+fact_sales")                  // fact_sales and everything upstream
 * Selection.of("tag:nightly,config.materialized:table")
 * Selection.of("staging").excluding("stg_inventory")
 * }</pre>
 */
public final class Selection {

    private static final Selection ALL = new Selection("", "");

    private final String select;
    private final String exclude;

    private Selection(String select, String exclude) {
        this.select = select == null ? "" : select.strip();
        this.exclude = exclude == null ? "" : exclude.strip();
        // Parsed here only to reject bad syntax where the selection is made; the engine parses its own copy.
        SelectionExpression.parse(this.select);
        SelectionExpression.parse(this.exclude);
    }

    /** Every node. */
    public static Selection all() {
        return ALL;
    }

    /** The nodes {@code expression} selects; empty or {@code null} means all. */
    public static Selection of(String expression) {
        return new Selection(expression, "");
    }

    /** This selection minus what {@code expression} selects. */
    public Selection excluding(String expression) {
        String combined = exclude.isEmpty() ? (expression == null ? "" : expression) : exclude + " " + expression;
        return new Selection(select, combined);
    }

    public String select() {
        return select;
    }

    public String exclude() {
        return exclude;
    }

    @Override
    public String toString() {
        String text = select.isEmpty() ? "all" : select;
        return exclude.isEmpty() ? text : text + " --exclude " + exclude;
    }
}
