package dev.soma.ingest.spec;

import java.util.Objects;

/**
 * An incremental cursor: each load reads the records whose {@code field} is at or after the last
 * committed cursor (the range is closed at the start), and the new cursor is the greatest value
 * loaded. Boundary records (equal to the start) are read again and dropped as duplicates by key.
 *
 * @param field   a declared column holding the cursor value (a date, timestamp or number)
 * @param initial the start of the first load, as text in the column's type (e.g. {@code 2024-01-01})
 * @param param   for HTTP: the query parameter that sends the start to the API; {@code null} when the
 *                API is not told (records before the start are then dropped on arrival)
 */
public record CursorSpec(String field, String initial, String param) {

    public CursorSpec {
        Objects.requireNonNull(field, "field");
    }
}
