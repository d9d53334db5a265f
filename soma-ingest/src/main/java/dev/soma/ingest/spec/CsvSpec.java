package dev.soma.ingest.spec;

import java.util.List;
import java.util.Objects;

/**
 * A CSV file, or a glob of files, read by DuckDB's own reader.
 *
 * @param path      the file or glob, relative to the project folder (or absolute)
 * @param delimiter the field separator, default {@code ,}
 * @param header    whether the first line names the columns (default true); without a header the
 *                  columns are the declared ones, in order
 * @param encoding  {@code utf-8} (default), {@code utf-16} or {@code latin-1}
 * @param quote     the quote character, default {@code "}
 * @param escape    the escape character inside quotes, default the quote itself
 * @param nullValues the unquoted field texts that mean NULL, default only the empty field ({@code ['']}); a quoted
 *                  field is never NULL ({@code ""} is an empty string), except in a typed column, where blank text
 *                  is missing
 */
public record CsvSpec(String path, String delimiter, boolean header, String encoding, String quote, String escape,
                      List<String> nullValues) implements ReaderSpec {

    /** The NULL spellings when none are declared: only an unquoted empty field. */
    public static final List<String> DEFAULT_NULL_VALUES = List.of("");

    public CsvSpec {
        Objects.requireNonNull(path, "path");
        delimiter = delimiter == null ? "," : delimiter;
        encoding = encoding == null ? "utf-8" : encoding;
        quote = quote == null ? "\"" : quote;
        escape = escape == null ? quote : escape;
        nullValues = nullValues == null ? DEFAULT_NULL_VALUES : List.copyOf(nullValues);
        if (nullValues.isEmpty()) {
            throw new IllegalArgumentException("nullValues must name at least one spelling of NULL");
        }
    }

    /** A CSV source whose NULL is only the unquoted empty field. */
    public CsvSpec(String path, String delimiter, boolean header, String encoding, String quote, String escape) {
        this(path, delimiter, header, encoding, quote, escape, null);
    }

    /** A comma-separated UTF-8 file with a header line. */
    public static CsvSpec of(String path) {
        return new CsvSpec(path, null, true, null, null, null);
    }

    @Override
    public String kindName() {
        return "csv";
    }
}
