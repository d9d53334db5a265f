package dev.soma.models.internal.project;

import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the {@code to:} of a relationships test, written {@code ref('dim_books')} or
 * {@code source('raw', 'books')} as in dbt.
 */
public final class TestTarget {

    private static final Pattern REF = Pattern.compile("^\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");
    private static final Pattern SOURCE =
            Pattern.compile("^\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");

    private TestTarget() {
    }

    /**
     * The node {@code to} names.
     *
     * @param at   the YAML line declaring the test, named in errors
     * @param test what the test is ({@code test relationships on fact_sales.book_id}), named in errors
     * @throws UnknownNodeException when it names nothing; {@link ProjectException} when it is malformed
     */
    public static Node resolve(Project project, String to, SourceLocation at, String test) {
        Matcher ref = REF.matcher(to);
        if (ref.matches()) {
            Node node = project.refTarget(ref.group(1));
            if (node == null) {
                String suggestion = Suggestions.closest(ref.group(1), project.refNames()).orElse(null);
                throw new UnknownNodeException(at, test + ": 'to: " + to + "' names no model or seed"
                        + Suggestions.didYouMean(ref.group(1), project.refNames()), ref.group(1), suggestion);
            }
            return node;
        }
        Matcher source = SOURCE.matcher(to);
        if (source.matches()) {
            String key = source.group(1) + "." + source.group(2);
            Node node = project.sources().get(key);
            if (node == null) {
                throw new UnknownNodeException(at, test + ": 'to: " + to + "' names no declared source table"
                        + Suggestions.didYouMean(key, project.sources().keySet()), key,
                        Suggestions.closest(key, project.sources().keySet()).orElse(null));
            }
            return node;
        }
        throw new ProjectException(at, test + ": 'to' must be ref('model') or source('source', 'table'), got '" + to + "'");
    }
}
