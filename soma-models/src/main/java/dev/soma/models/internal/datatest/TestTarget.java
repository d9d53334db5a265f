package dev.soma.models.internal.datatest;

import dev.soma.core.text.Suggestions;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the {@code to:} of a relationships test, written {@code ref('dim_books')} or
 * {@code source('raw', 'books')} as in dbt.
 */
final class TestTarget {

    private static final Pattern REF = Pattern.compile("^\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");
    private static final Pattern SOURCE =
            Pattern.compile("^\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");

    private TestTarget() {
    }

    /**
     * The node {@code to} names.
     *
     * @throws IllegalArgumentException with a message for the user when it is malformed or unknown
     */
    static Node resolve(Project project, String to) {
        Matcher ref = REF.matcher(to);
        if (ref.matches()) {
            Node node = project.refTarget(ref.group(1));
            if (node == null) {
                throw new IllegalArgumentException("'to: " + to + "' names no model or seed"
                        + Suggestions.didYouMean(ref.group(1), project.refNames()));
            }
            return node;
        }
        Matcher source = SOURCE.matcher(to);
        if (source.matches()) {
            String key = source.group(1) + "." + source.group(2);
            Node node = project.sources().get(key);
            if (node == null) {
                throw new IllegalArgumentException("'to: " + to + "' names no declared source table"
                        + Suggestions.didYouMean(key, project.sources().keySet()));
            }
            return node;
        }
        throw new IllegalArgumentException("'to' must be ref('model') or source('source', 'table'), got '" + to + "'");
    }
}
