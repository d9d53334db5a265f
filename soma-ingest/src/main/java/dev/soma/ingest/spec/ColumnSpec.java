package dev.soma.ingest.spec;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One declared column and its rules. Every rule a row breaks is reported, not just the first.
 *
 * @param name           the column name in {@code raw.<table>} (and the CSV header / JSON field by default)
 * @param from           for HTTP: a dotted path to the value in the record (default {@code name})
 * @param type           a DuckDB type ({@code VARCHAR}, {@code INTEGER}, {@code DECIMAL(10,2)}, {@code DATE}, …);
 *                       a value that does not cast is a reject. Default {@code VARCHAR}.
 * @param required       a missing or blank value is a reject
 * @param pattern        a regular expression the whole text must match
 * @param min            the smallest allowed value (inclusive), or {@code null}
 * @param max            the largest allowed value (inclusive), or {@code null}
 * @param acceptedValues the only allowed values, or empty for any
 * @param isbn           the value must be an ISBN-10 or ISBN-13 with a valid check digit; it is stored
 *                       as ISBN-13 without hyphens
 */
public record ColumnSpec(String name, String from, String type, boolean required, String pattern, BigDecimal min,
                         BigDecimal max, List<String> acceptedValues, boolean isbn) {

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        from = from == null ? name : from;
        type = type == null ? "VARCHAR" : type;
        acceptedValues = acceptedValues == null ? List.of() : List.copyOf(acceptedValues);
    }

    /** A plain column of {@code type} with no rules. */
    public static ColumnSpec of(String name, String type) {
        return new ColumnSpec(name, null, type, false, null, null, null, List.of(), false);
    }
}
