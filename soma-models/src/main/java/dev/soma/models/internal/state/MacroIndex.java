package dev.soma.models.internal.state;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The macros of a project's {@code macros/*.ftl} files ({@code <#function name …>} and {@code <#macro name …>}),
 * each with its own text, and which of them a template calls, directly or through other macros. Found
 * by reading the text, not by rendering: a call inside a branch counts, as a {@code ref} does.
 * Immutable; thread-safe.
 */
public final class MacroIndex {

    private static final Pattern DEFINITION = Pattern.compile(
            "<#(function|macro)\\s+([A-Za-z_][A-Za-z0-9_]*)[^>]*>(.*?)</#\\1>", Pattern.DOTALL);

    /** One macro: its name, the file that defines it, and its definition's text. */
    public record Macro(String name, String path, String sql) {
    }

    private final Map<String, Macro> macros;
    private final Map<String, Pattern> calls = new LinkedHashMap<>();

    private MacroIndex(Map<String, Macro> macros) {
        this.macros = Collections.unmodifiableMap(macros);
        for (String name : macros.keySet()) {
            // ${name(…)} or <#assign x = name(…)> for a function, <@name …/> for a macro
            calls.put(name, Pattern.compile("(?<![A-Za-z0-9_.?])" + Pattern.quote(name) + "\\s*\\(|<@"
                    + Pattern.quote(name) + "(?![A-Za-z0-9_])"));
        }
    }

    /** The macros defined in {@code files} (project-relative name to text); a later file's definition wins, as FreeMarker's includes do. */
    public static MacroIndex of(Map<String, String> files) {
        Map<String, Macro> macros = new LinkedHashMap<>();
        files.forEach((path, text) -> {
            Matcher matcher = DEFINITION.matcher(text == null ? "" : text);
            while (matcher.find()) {
                macros.put(matcher.group(2), new Macro(matcher.group(2), path, matcher.group()));
            }
        });
        return new MacroIndex(macros);
    }

    /** Every macro by name, in definition order. */
    public Map<String, Macro> macros() {
        return macros;
    }

    /** The names of the macros {@code text} calls, and those they call in turn, sorted. */
    public Set<String> calledBy(String text) {
        Set<String> found = new TreeSet<>();
        ArrayDeque<String> texts = new ArrayDeque<>();
        texts.add(text == null ? "" : text);
        while (!texts.isEmpty()) {
            String next = texts.poll();
            calls.forEach((name, call) -> {
                // Every call spells the name: most texts call none of the macros, and indexOf is far cheaper than the pattern.
                if (!found.contains(name) && next.contains(name) && call.matcher(next).find()) {
                    found.add(name);
                    texts.add(macros.get(name).sql());
                }
            });
        }
        return found;
    }

    /** The names of the macros macro {@code name}'s definition calls directly, sorted. */
    public Set<String> calledByMacro(String name) {
        Set<String> found = new TreeSet<>();
        String body = macros.get(name).sql();
        String inner = body.substring(body.indexOf('>') + 1);
        calls.forEach((other, call) -> {
            if (!other.equals(name) && call.matcher(inner).find()) {
                found.add(other);
            }
        });
        return found;
    }
}
