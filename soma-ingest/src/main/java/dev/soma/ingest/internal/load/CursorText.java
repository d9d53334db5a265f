package dev.soma.ingest.internal.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cursor as an API is sent it. A load keeps the cursor twice: as DuckDB's text of the typed value
 * ({@code 2024-03-24 01:00:00}), which the load compares rows with and shows, and as the API wrote it in the
 * record that set it ({@code 2024-03-24T01:00:00Z}), which goes back to the API. A cursor kept before the second
 * existed is written in ISO 8601 the way {@code initial} is ({@link #iso}).
 */
public final class CursorText {

    /** DuckDB's text of a TIMESTAMP or TIMESTAMPTZ: date, space, time, optional fraction and offset. */
    private static final Pattern DUCKDB = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)([+-]\\d{2}(?::?\\d{2})?)?");

    private CursorText() {
    }

    /**
     * What to send the API: the cursor as the API wrote it when known; else DuckDB's text in ISO 8601 shaped like
     * {@code initial}; the initial value before the first load.
     *
     * @param stored     the committed cursor in DuckDB's text, or null before the first load
     * @param storedText the committed cursor as the source wrote it, or null when unknown
     * @param initial    the declared initial value, or null
     */
    public static String toSend(String stored, String storedText, String initial) {
        if (stored == null) {
            return initial;
        }
        return storedText != null ? storedText : iso(stored, initial);
    }

    /**
     * DuckDB's text of a timestamp in ISO 8601: a {@code T} between date and time, and the offset as {@code Z} or
     * {@code +HH:MM}. Without an offset the value gets the one {@code initial} ends with ({@code Z} or {@code +HH:MM}),
     * and keeps the space when {@code initial} is written with one. Dates, numbers and other texts are returned as
     * they are.
     */
    public static String iso(String duckdb, String initial) {
        Matcher m = DUCKDB.matcher(duckdb);
        if (!m.matches()) {
            return duckdb;
        }
        boolean space = initial != null && initial.matches("\\d{4}-\\d{2}-\\d{2} .*");
        String offset = m.group(3);
        if (offset == null) {
            Matcher initialOffset = Pattern.compile(".*T.*?(Z|[+-]\\d{2}:?\\d{2})$").matcher(initial == null ? "" : initial);
            offset = initialOffset.matches() ? initialOffset.group(1) : "";
        } else {
            String hhmm = offset.length() == 3 ? offset + ":00" : offset.contains(":") ? offset
                    : offset.substring(0, 3) + ":" + offset.substring(3);
            offset = hhmm.equals("+00:00") || hhmm.equals("-00:00") ? "Z" : hhmm;
        }
        return m.group(1) + (space ? " " : "T") + m.group(2) + offset;
    }
}
