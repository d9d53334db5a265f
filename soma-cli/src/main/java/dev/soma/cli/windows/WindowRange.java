package dev.soma.cli.windows;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** A range of window starts, [from, to), read from {@code FROM..TO}; times are UTC. */
public record WindowRange(Instant from, Instant to) {

    /** Reads {@code 2024-01-01..2024-01-03} or {@code 2024-01-01T06:00..2024-01-01T12:00}. */
    public static WindowRange parse(String option, String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, option + " '" + text + "' is not a range; write FROM..TO, "
                    + "e.g. 2024-01-01..2024-01-03 or 2024-01-01T06:00..2024-01-01T12:00 (UTC, TO excluded)");
        }
        Instant from = instant(option, text.substring(0, dots).strip());
        Instant to = instant(option, text.substring(dots + 2).strip());
        if (!from.isBefore(to)) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, option + " '" + text + "' is empty: FROM must come before TO");
        }
        return new WindowRange(from, to);
    }

    /** Reads a date (its midnight) or a date-time, in UTC. */
    public static Instant instant(String option, String text) {
        try {
            if (text.length() <= 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, option + ": '" + text + "' is not a date or time; write "
                    + "2024-01-01 or 2024-01-01T06:00 (UTC)");
        }
    }
}
