package dev.soma.models.internal.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One window, half-open: {@code start ≤ t < end}. Instants; event times are compared as UTC timestamps.
 */
public record Window(Instant start, Instant end) {

    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** {@code TIMESTAMP 'yyyy-MM-dd HH:mm:ss'} in UTC, as the template's {@code ${window.start}} reads. */
    public static String literal(Instant instant) {
        return "TIMESTAMP '" + SQL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) + "'";
    }

    public String startLiteral() {
        return literal(start);
    }

    public String endLiteral() {
        return literal(end);
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
