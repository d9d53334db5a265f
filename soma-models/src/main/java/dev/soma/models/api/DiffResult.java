package dev.soma.models.api;

import java.util.List;
import java.util.Map;

/**
 * How a relation differs between two sides ({@code soma diff}): counts, schema, rows on one side only, and per
 * column how many matched rows differ. Serialisable as it is ({@code --format json}).
 *
 * @param a         side a, as described ({@code target prod: "prod"."analytics"."dim_books"})
 * @param b         side b
 * @param key       the columns rows were matched on; empty: rows were compared whole
 * @param rowsA     rows on side a
 * @param rowsB     rows on side b
 * @param onlyInA   rows whose key (or whole row, without a key) is only on side a
 * @param onlyInB   rows only on side b
 * @param matched   rows matched on the key on both sides (without a key: identical rows)
 * @param schema    columns that differ between the sides
 * @param columns   per column present on both sides with the key: matched rows whose value differs
 * @param samplesA  a few rows only on side a (key and values)
 * @param samplesB  a few rows only on side b
 */
public record DiffResult(String a, String b, List<String> key, long rowsA, long rowsB, long onlyInA, long onlyInB, long matched,
                         List<SchemaChange> schema, List<ColumnDiff> columns, List<Map<String, Object>> samplesA,
                         List<Map<String, Object>> samplesB) {

    public DiffResult {
        key = List.copyOf(key);
        schema = List.copyOf(schema);
        columns = List.copyOf(columns);
        samplesA = List.copyOf(samplesA);
        samplesB = List.copyOf(samplesB);
    }

    /** This result with {@code schema} as its schema differences. */
    public DiffResult withSchema(List<SchemaChange> schema) {
        return new DiffResult(a, b, key, rowsA, rowsB, onlyInA, onlyInB, matched, schema, columns, samplesA, samplesB);
    }

    /** Whether both sides hold the same rows and columns. */
    public boolean identical() {
        return schema.isEmpty() && onlyInA == 0 && onlyInB == 0 && columns.stream().allMatch(c -> c.differing() == 0);
    }

    /**
     * A column that is on one side only, or has another type.
     *
     * @param column its name
     * @param typeA  its type on side a, {@code null} if absent
     * @param typeB  its type on side b, {@code null} if absent
     */
    public record SchemaChange(String column, String typeA, String typeB) {
    }

    /**
     * How one column differs among the matched rows.
     *
     * @param column    its name
     * @param differing matched rows whose values differ ({@code IS DISTINCT FROM}: null against a value counts)
     * @param share     {@code differing / matched}, 0 when nothing matched
     * @param samples   a few of them: the key, the value on a, the value on b
     */
    public record ColumnDiff(String column, long differing, double share, List<Map<String, Object>> samples) {
        public ColumnDiff {
            samples = List.copyOf(samples);
        }
    }
}
