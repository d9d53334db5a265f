package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.List;

/**
 * A test could not run: a model or seed it reads was never built, so its relation is not in the database
 * ({@code soma test} before {@code soma build}). As in dbt, that is an error of the test, not a pass; the
 * message names the missing relations and ends with the fix.
 */
public class UnbuiltParentException extends SomaException {

    private final String test;
    private final List<String> relations;

    /**
     * @param test      the test that could not run
     * @param relations the missing relations ({@code analytics.dim_books}), one per unbuilt parent
     */
    public UnbuiltParentException(String test, List<String> relations, String message) {
        super(ErrorCode.SQL_ERROR, message, null);
        this.test = test;
        this.relations = List.copyOf(relations);
    }

    public String test() {
        return test;
    }

    public List<String> relations() {
        return relations;
    }
}
