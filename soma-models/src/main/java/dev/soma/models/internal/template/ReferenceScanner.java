package dev.soma.models.internal.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every {@code ref("…")} and {@code source("…", "…")} with literal arguments in a template's
 * code ({@code ${…}} and FreeMarker tags, never plain SQL or comments), in every branch, taken or not. Rendering records the calls that run (including computed
 * names); this scan adds the ones in branches that did not run — {@code <#if is_incremental()>} in the
 * first pass — so the graph always holds them.
 */
public final class ReferenceScanner {

    private static final Pattern REF = Pattern.compile("\\bref\\(\\s*[\"']([^\"']+)[\"']\\s*\\)");
    private static final Pattern SOURCE =
            Pattern.compile("\\bsource\\(\\s*[\"']([^\"']+)[\"']\\s*,\\s*[\"']([^\"']+)[\"']\\s*\\)");

    private ReferenceScanner() {
    }

    /** A literal reference and the 1-based line and column where it stands. */
    public record Found(String name, String table, int line, int column) {
    }

    /** Literal {@code ref} names in the text. */
    public static List<Found> refs(String text) {
        return scan(text, REF, false);
    }

    /** Literal {@code source} calls in the text ({@link Found#name()} is the source, {@link Found#table()} the table). */
    public static List<Found> sources(String text) {
        return scan(text, SOURCE, true);
    }

    private static List<Found> scan(String text, Pattern pattern, boolean twoArguments) {
        if (text.indexOf('(') < 0) {
            return List.of();
        }
        String code = templateCode(text);
        List<Found> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(code);
        int line = 1;
        int lineStart = 0;
        int scanned = 0;
        while (matcher.find()) {
            int offset = matcher.start();
            if (offset >= 2 && code.startsWith("${", offset - 2)) {
                offset -= 2;
            }
            for (; scanned < offset; scanned++) {
                if (code.charAt(scanned) == '\n') {
                    line++;
                    lineStart = scanned + 1;
                }
            }
            found.add(new Found(matcher.group(1), twoArguments ? matcher.group(2) : null, line, offset - lineStart + 1));
        }
        return found;
    }

    /**
     * The text with everything but template code blanked: only {@code ${…}} interpolations and
     * {@code <#…>} / {@code <@…>} tags survive. Plain SQL (comments included: {@code -- replaces
     * ref('old')}) and FreeMarker comments become spaces. Newlines stay, so lines and columns stay right.
     */
    static String templateCode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int end;
            if (text.startsWith("<#--", i)) {
                int close = text.indexOf("-->", i + 4);
                end = close < 0 ? text.length() : close + 3;
                blank(text, i, end, out);
            } else if (text.startsWith("${", i)) {
                end = closing(text, i + 2, '{', '}');
                out.append(text, i, end);
            } else if (text.startsWith("<#", i) || text.startsWith("<@", i) || text.startsWith("</#", i)
                    || text.startsWith("</@", i)) {
                end = closing(text, i + 2, '<', '>');
                out.append(text, i, end);
            } else {
                end = i + 1;
                blank(text, i, end, out);
            }
            i = end;
        }
        return out.toString();
    }

    /**
     * The offset just past the {@code close} that ends a construct whose body starts at {@code from}:
     * {@code '}'} for an interpolation (nested braces counted), {@code '>'} for a tag (outside
     * parentheses). Quoted strings are skipped.
     */
    private static int closing(String text, int from, char open, char close) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || (open == '{' && c == '{')) {
                depth++;
            } else if (c == close && depth == 0) {
                return i + 1;
            } else if (c == ')' || (open == '{' && c == '}')) {
                depth--;
            }
        }
        return text.length();
    }

    private static void blank(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            out.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
    }
}
