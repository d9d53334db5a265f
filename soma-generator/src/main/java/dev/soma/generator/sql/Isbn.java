package dev.soma.generator.sql;

/**
 * ISBN-13s that are valid and unique without any lookup: book {@code i} gets prefix 978 (979 from the
 * 10^9-th book on) and a 9-digit body {@code (a·(i mod 10^9) + b) mod 10^9}, a bijection because
 * {@code a} is coprime with 10; then the standard check digit (weights 1, 3, 1, 3, ... from the left).
 */
final class Isbn {

    /** Bodies per prefix. */
    static final long BODIES = 1_000_000_000L;

    private Isbn() {
    }

    /** The first twelve digits of book {@code bookIndex} (a SQL BIGINT expression) as a BIGINT. */
    static String twelveDigits(String bookIndex, long a, long b) {
        return "((978 + " + bookIndex + " // " + BODIES + ") * " + BODIES + " + (" + a + " * (" + bookIndex
                + " % " + BODIES + ") + " + b + ") % " + BODIES + ")";
    }

    /** {@code soma_isbn(t)}: twelve digits plus their check digit, as VARCHAR. */
    static String macro() {
        StringBuilder sum = new StringBuilder();
        long power = 1;
        for (int j = 0; j < 12; j++) {
            // digit j from the right sits at position 11 - j from the left: weight 3 when j is even
            if (j > 0) {
                sum.append(" + ");
            }
            sum.append(j % 2 == 0 ? "3" : "1").append(" * (t // ").append(power).append(" % 10)");
            power *= 10;
        }
        return "CREATE OR REPLACE TEMP MACRO soma_isbn(t) AS t::VARCHAR || ((10 - (" + sum + ") % 10) % 10)::VARCHAR";
    }
}
