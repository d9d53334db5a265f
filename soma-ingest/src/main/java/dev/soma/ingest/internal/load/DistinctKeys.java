package dev.soma.ingest.internal.load;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.SourceSpec;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/**
 * Whether the keys of a load's candidate rows are all distinct, proven without a hash table where the key allows it.
 *
 * <p>An exact test that no key repeats is, in general, a hash aggregate over every key: at 10M distinct keys its
 * table outgrows the caches and it costs about as much as a tenth of reading the file. Keys are usually numbers
 * handed out in sequence, though, and for a single integer key whose values span a narrow range there is an exact
 * test that costs next to nothing: a bitmap with one bit per value of the range ({@code bitstring_agg}), a bit set
 * per row. The rows' keys are all distinct exactly when as many bits are set as there are rows. The range is found
 * first ({@code min}, {@code max}, {@code count}, one cheap scan); a range too wide for a small bitmap, a composite
 * key, a key of another type or one with a fallback is not decided here ({@link #proven} says false, and the caller
 * takes the general way).
 */
final class DistinctKeys {

    /** The widest range tested with a bitmap: 2^28 bits, 32 MB per thread. */
    private static final BigInteger WIDEST = BigInteger.ONE.shiftLeft(28);
    /** A range may be at most this many times wider than the rows, so the bitmap stays small beside them. */
    private static final long SPARSEST = 64;
    private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT", "INT1", "INT2", "INT4", "INT8", "SHORT",
            "LONG", "SIGNED", "INTEGRAL");

    private DistinctKeys() {
    }

    /**
     * True when the key of {@code spec} is a single integer column and its values among the rows of {@code table}
     * where {@code candidate} holds are proven distinct (or there are none); false when a key repeats or the test
     * does not apply.
     */
    static boolean proven(Session session, SqlOwner owner, SourceSpec spec, String table, String candidate) {
        if (spec.key().size() != 1 || !spec.keyFallback().isEmpty()) {
            return false;
        }
        ColumnSpec column = spec.column(spec.key().get(0)).orElse(null);
        if (column == null || column.isbn() || !INTEGER_TYPES.contains(column.type().strip().toUpperCase(Locale.ROOT))) {
            return false;
        }
        String key = Validation.q(column.name());
        String[] range = session.query(owner, "SELECT min(" + key + ")::VARCHAR, max(" + key + ")::VARCHAR, count(" + key
                + "), count(*) FROM " + table + " WHERE " + candidate, rs -> {
                    rs.next();
                    return new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
                });
        long keys = Long.parseLong(range[2]);
        if (keys != Long.parseLong(range[3])) {
            return false;   // a candidate without a key: not for this test to judge
        }
        if (keys == 0) {
            return true;
        }
        BigInteger width = new BigInteger(range[1]).subtract(new BigInteger(range[0])).add(BigInteger.ONE);
        if (width.compareTo(WIDEST) > 0 || width.compareTo(BigInteger.valueOf(keys).multiply(BigInteger.valueOf(SPARSEST))) > 0) {
            return false;
        }
        if (width.longValueExact() < keys) {
            return false;   // more rows than values: some value repeats
        }
        String type = column.type().strip();
        long set = session.queryLong(owner, "SELECT bit_count(bitstring_agg(" + key + ", CAST('" + range[0] + "' AS " + type
                + "), CAST('" + range[1] + "' AS " + type + "))) FROM " + table + " WHERE " + candidate);
        return set == keys;
    }
}
