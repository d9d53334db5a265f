package dev.soma.models.internal.selection;

import dev.soma.models.error.SelectorException;
import dev.soma.core.text.Suggestions;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One selector such as {@code 2+tag:nightly+}: a method and value, and how far to widen the match
 * up (parents) and down (children).
 *
 * @param method     {@code name}, {@code tag}, {@code path}, {@code config.<key>}, {@code source}, …
 * @param value      what the method matches
 * @param parents    ancestor depth: {@code 0} none, {@code -1} all
 * @param children   descendant depth: {@code 0} none, {@code -1} all
 * @param atOperator {@code @}: the match, its descendants and all their ancestors
 */
public record SelectorAtom(String method, String value, int parents, int children, boolean atOperator) {

    private static final Pattern SYNTAX = Pattern.compile("^(@)?(?:(\\d*)\\+)?(.+?)(?:\\+(\\d*))?$");
    /** The methods a selector may use (plus {@code config.<key>}). */
    public static final List<String> METHODS = List.of("name", "tag", "path", "source", "resource_type", "fqn",
            "test_type", "test_name", "config", "state", "unique_id");

    /** Parses one selector; {@code original} is the whole expression, for messages. */
    public static SelectorAtom parse(String text, String original) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            throw invalid(text, original, "it is not a selector");
        }
        boolean at = matcher.group(1) != null;
        int parents = depth(matcher.group(2), text.contains("+") && matcher.group(2) != null);
        String body = matcher.group(3);
        int children = depth(matcher.group(4), matcher.group(4) != null);
        if (at && (parents != 0 || children != 0)) {
            throw invalid(text, original, "@ cannot be combined with + (write @name, or +name+)");
        }
        String method = "name";
        String value = body;
        int colon = body.indexOf(':');
        if (colon >= 0) {
            method = body.substring(0, colon);
            value = body.substring(colon + 1);
            boolean known = METHODS.contains(method) || (method.startsWith("config.") && method.length() > 7);
            if (!known) {
                throw invalid(text, original, "unknown selector method '" + method + "'"
                        + Suggestions.didYouMean(method, METHODS)
                        + "; use name, tag:, path:, source:, resource_type:, fqn:, test_type:, test_name: or config.<key>:");
            }
        }
        if (value.isEmpty()) {
            throw invalid(text, original, "it has no value after '" + method + ":'");
        }
        return new SelectorAtom(method, value, parents, children, at);
    }

    private static int depth(String digits, boolean present) {
        if (!present) {
            return 0;
        }
        return digits == null || digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }

    private static SelectorException invalid(String atom, String original, String why) {
        return new SelectorException(atom, original, why);
    }
}
