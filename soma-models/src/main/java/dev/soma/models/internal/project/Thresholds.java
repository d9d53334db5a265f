package dev.soma.models.internal.project;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code warn_if} / {@code error_if} condition on the failure count, such as {@code >10} or {@code !=0}. */
public record Thresholds(String operator, long value) {

    private static final Pattern SYNTAX = Pattern.compile("^\\s*(>=|<=|!=|>|<|=|==)\\s*(\\d+)\\s*$");

    /** dbt's default: any failure counts. */
    public static final Thresholds ANY = new Thresholds("!=", 0);

    /** Parses {@code text}, or answers {@code null} when it is not a condition. */
    public static Thresholds parse(String text) {
        if (text == null) {
            return ANY;
        }
        Matcher matcher = SYNTAX.matcher(text);
        return matcher.matches() ? new Thresholds(matcher.group(1), Long.parseLong(matcher.group(2))) : null;
    }

    public boolean test(long failures) {
        return switch (operator) {
            case ">=" -> failures >= value;
            case "<=" -> failures <= value;
            case "!=" -> failures != value;
            case ">" -> failures > value;
            case "<" -> failures < value;
            default -> failures == value;
        };
    }
}
