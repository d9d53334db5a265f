package dev.soma.models.internal.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every {@code ref("…")} and {@code source("…", "…")} with literal arguments in a template's
 * text, in every branch, taken or not. Rendering records the calls that run (including computed
 * names); this scan adds the ones in branches that did not run — {@code <#if is_incremental()>} in the
 * first pass — so the graph always holds them.
 */
public final class ReferenceScanner {

    private static final Pattern COMMENT = Pattern.compile("<#--.*?-->", Pattern.DOTALL);
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
        String code = blankComments(text);
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

    /** Replaces FreeMarker comments by spaces, keeping newlines so lines and columns stay right. */
    private static String blankComments(String text) {
        if (!text.contains("<#--")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        Matcher matcher = COMMENT.matcher(text);
        while (matcher.find()) {
            for (int i = matcher.start(); i < matcher.end(); i++) {
                if (out.charAt(i) != '\n') {
                    out.setCharAt(i, ' ');
                }
            }
        }
        return out.toString();
    }
}
