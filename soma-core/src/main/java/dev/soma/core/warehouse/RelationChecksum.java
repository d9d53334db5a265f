package dev.soma.core.warehouse;

import java.util.Locale;

/**
 * A relation's row count and a checksum over all its rows (the sum of DuckDB's row hashes): equal
 * before and after means the contents did not change, whatever the row order.
 *
 * @param rows     the row count
 * @param checksum the sum of the row hashes, in decimal ({@code 0} when empty)
 */
public record RelationChecksum(long rows, String checksum) {

    /** {@code "10,000 rows, checksum 1234…"}. */
    public String summary() {
        return String.format(Locale.ROOT, "%,d rows, checksum %s", rows, checksum);
    }

    @Override
    public String toString() {
        return summary();
    }
}
