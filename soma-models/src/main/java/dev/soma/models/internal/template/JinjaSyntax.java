package dev.soma.models.internal.template;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dbt's Jinja in a template ({@code {{ … }}}, {@code {% … %}}, {@code {# … #}}), which FreeMarker
 * would pass through as text: the dependency would be lost and DuckDB would fail on the braces. Says
 * what to write instead. Stateless.
 */
final class JinjaSyntax {

    private static final Pattern JINJA = Pattern.compile("\\{\\{(.*?)}}|\\{%-?(.*?)-?%}|\\{#(.*?)#}", Pattern.DOTALL);
    private static final Pattern CALL = Pattern.compile("^\\s*(\\w+)\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);
    /** A FreeMarker comment: its text is not code, so Jinja quoted in it (a note on a port) is no mistake. */
    private static final Pattern COMMENT = Pattern.compile("<#--.*?-->", Pattern.DOTALL);

    private JinjaSyntax() {
    }

    /** A Jinja construct found in a template: where, what, and the FreeMarker to write instead. */
    record Finding(int line, int column, String jinja, String instead) {
    }

    /** The first Jinja construct in {@code text}, if any. */
    static Optional<Finding> find(String text) {
        if (text == null || text.indexOf('{') < 0) {
            return Optional.empty();
        }
        Matcher matcher = JINJA.matcher(withoutComments(text));
        if (!matcher.find()) {
            return Optional.empty();
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < matcher.start(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String jinja = matcher.group().replaceAll("\\s+", " ");
        String instead;
        if (matcher.group(1) != null) {
            instead = expression(matcher.group(1).strip());
        } else if (matcher.group(2) != null) {
            instead = statement(matcher.group(2).strip());
        } else {
            instead = "<#--" + matcher.group(3) + "-->";
        }
        return Optional.of(new Finding(line, matcher.start() - lineStart + 1, jinja, instead));
    }

    /** {@code text} with each FreeMarker comment blanked out, line breaks kept, so offsets and lines stay. */
    private static String withoutComments(String text) {
        if (!text.contains("<#--")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        Matcher comment = COMMENT.matcher(text);
        while (comment.find()) {
            for (int i = comment.start(); i < comment.end(); i++) {
                if (out.charAt(i) != '\n' && out.charAt(i) != '\r') {
                    out.setCharAt(i, ' ');
                }
            }
        }
        return out.toString();
    }

    /** The whole message: what was found and what to write instead. */
    static String message(Finding finding) {
        return "this is Jinja (dbt's template language), but Soma templates are FreeMarker: write " + finding.instead()
                + " instead of " + finding.jinja() + " (${ref(\"m\")}, ${source(\"s\", \"t\")}, ${var(\"v\")}, ${this}, "
                + "<@config materialized=\"table\"/>, <#if …>…</#if>, <#list items as x>…</#list>, <#-- comment -->; "
                + "see docs/writing-projects.md)";
    }

    private static String expression(String inner) {
        Matcher call = CALL.matcher(inner);
        if (call.matches()) {
            String function = call.group(1);
            String args = call.group(2).replace('\'', '"');
            if (function.equals("config")) {
                return "<@config " + args.replaceAll("\\s*=\\s*", "=").replaceAll("\\s*,\\s*", " ") + "/>";
            }
            return "${" + function + "(" + args + ")}";
        }
        return "${" + inner.replace('\'', '"') + "}";
    }

    private static String statement(String inner) {
        String[] words = inner.split("\\s+", 2);
        String rest = words.length > 1 ? words[1].replace('\'', '"') : "";
        return switch (words[0]) {
            case "if" -> "<#if " + rest + ">";
            case "elif" -> "<#elseif " + rest + ">";
            case "else" -> "<#else>";
            case "endif" -> "</#if>";
            case "for" -> {
                Matcher loop = Pattern.compile("(\\w+)\\s+in\\s+(.+)").matcher(rest);
                yield loop.matches() ? "<#list " + loop.group(2).strip() + " as " + loop.group(1) + ">" : "<#list items as x>";
            }
            case "endfor" -> "</#list>";
            case "set" -> "<#assign " + rest + ">";
            case "macro" -> "<#macro " + rest.replaceAll("[(),]", " ").replaceAll("\\s+", " ").strip() + "> in macros/*.ftl";
            case "endmacro" -> "</#macro>";
            default -> "a FreeMarker directive (<#if>, <#list>, <#assign>, <#macro>)";
        };
    }
}
