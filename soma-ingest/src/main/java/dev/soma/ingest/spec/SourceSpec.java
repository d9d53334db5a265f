package dev.soma.ingest.spec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ingestible source table: {@code raw.books} declared in {@code sources.yml} with an
 * {@code ingest:} block.
 *
 * @param name     the source's qualified name, {@code source.table} (e.g. {@code raw.curated_books})
 * @param schema   the schema the rows land in (the source's {@code schema}, default its name)
 * @param table    the table the rows land in
 * @param kind     where the rows come from: a {@link CsvSpec} or an {@link HttpSpec}
 * @param columns  the declared columns, in order, with their types and rules
 * @param key      the columns that identify a record; empty when none is declared
 * @param keyFallback the columns that identify a record whose key columns are empty ({@code key_fallback:}), compared
 *                 by their normalised text (accents and case aside, every run of other characters than letters and
 *                 digits one space); empty when the key is required
 * @param cursor   the incremental cursor, or {@code null} for a full read each load
 * @param mode     how accepted rows are written
 * @param location where the block is declared (file and line), for messages
 */
public record SourceSpec(String name, String schema, String table, ReaderSpec kind, List<ColumnSpec> columns,
                         List<String> key, CursorSpec cursor, WriteMode mode, DeclaredAt location, List<String> keyFallback) {

    /** A source whose key, if any, is required in every row. */
    public SourceSpec(String name, String schema, String table, ReaderSpec kind, List<ColumnSpec> columns,
                      List<String> key, CursorSpec cursor, WriteMode mode, DeclaredAt location) {
        this(name, schema, table, kind, columns, key, cursor, mode, location, List.of());
    }

    public SourceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
        key = key == null ? List.of() : List.copyOf(key);
        keyFallback = keyFallback == null ? List.of() : List.copyOf(keyFallback);
        mode = mode == null ? WriteMode.APPEND : mode;
        location = location == null ? DeclaredAt.UNKNOWN : location;
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(name + ": declare at least one column");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ColumnSpec column : columns) {
            if (!names.add(column.name())) {
                throw new IllegalArgumentException(name + ": column " + column.name() + " is declared twice");
            }
        }
        for (String k : key) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException(name + ": key column " + k + " is not a declared column");
            }
        }
        for (String k : keyFallback) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException(name + ": key_fallback column " + k + " is not a declared column");
            }
        }
        if (!keyFallback.isEmpty() && key.isEmpty()) {
            throw new IllegalArgumentException(name + ": key_fallback needs a key to fall back from");
        }
        if (cursor != null && !names.contains(cursor.field())) {
            throw new IllegalArgumentException(name + ": cursor field " + cursor.field() + " is not a declared column");
        }
        if (mode == WriteMode.MERGE && key.isEmpty()) {
            throw new IllegalArgumentException(name + ": mode merge needs a key");
        }
    }

    /** The column called {@code name}, if declared. */
    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** A copy reading from {@code kind} instead (e.g. another file). */
    public SourceSpec withKind(ReaderSpec kind) {
        return new SourceSpec(name, schema, table, kind, columns, key, cursor, mode, location, keyFallback);
    }

    /** A copy writing with {@code mode}. */
    public SourceSpec withMode(WriteMode mode) {
        return new SourceSpec(name, schema, table, kind, columns, key, cursor, mode, location, keyFallback);
    }
}
