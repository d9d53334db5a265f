package dev.soma.generator.sql;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded randomness as SQL: temporary macros that turn (row number, stream) into uniform numbers,
 * and seed-derived constants (hash mask, permutation multipliers) computed once in Java.
 *
 * <p>{@code soma_h(i, k)} is DuckDB's 64-bit {@code hash} of {@code i·64 + k}, xor-ed with a mask
 * drawn from the seed, hashed again. Every (row, stream) pair has its own input, so values of
 * different streams of one row are independent; hashing twice decorrelates seeds. Streams
 * {@code k} are numbered per purpose in {@link Stream}. The values are a function of the seed and
 * DuckDB's hash function, so they may change with a DuckDB upgrade; they never change with threads.
 */
public final class SqlRandom {

    private final long mask;
    private final SplittableRandom random;

    /** @param seed the generation seed */
    public SqlRandom(long seed) {
        this.random = new SplittableRandom(seed);
        this.mask = random.nextLong() >>> 1;
    }

    /** The macros, one statement each; temporary, so they vanish with the session. */
    public List<String> macros() {
        return List.of(
                "CREATE OR REPLACE TEMP MACRO soma_h(i, k) AS hash(xor(hash(i * 64 + k), " + mask + "::UBIGINT))",
                // 53 random bits: an exact double in [0, 1)
                "CREATE OR REPLACE TEMP MACRO soma_u(i, k) AS (soma_h(i, k) >> 11)::DOUBLE / 9007199254740992.0",
                "CREATE OR REPLACE TEMP MACRO soma_pick(i, k, n) AS (soma_h(i, k) % n)::BIGINT",
                // Zipf-like with exponent 1 over ranks 0..n-1: P(rank r) = ln((r+2)/(r+1)) / ln(n+1)
                "CREATE OR REPLACE TEMP MACRO soma_zipf(u, n) AS least(n - 1, floor(exp(u * ln(n + 1.0)) - 1))::BIGINT",
                // a standard normal by Box-Muller from streams k and k+1; 1 - u is in (0, 1]
                "CREATE OR REPLACE TEMP MACRO soma_normal(i, k) AS "
                        + "sqrt(-2.0 * ln(1.0 - soma_u(i, k))) * cos(2.0 * pi() * soma_u(i, k + 1))",
                // Binomial(n, p) by its normal approximation: exact mean and variance, clamped to [0, n]
                "CREATE OR REPLACE TEMP MACRO soma_binomial(n, p, z) AS "
                        + "greatest(0, least(n, round(n * p + sqrt(n * p * (1.0 - p)) * z)))::BIGINT",
                // prefix and n zero-padded: base is 10^width > n, so the digits after its leading 1 are n padded
                "CREATE OR REPLACE TEMP MACRO soma_id(prefix, n, base) AS prefix || substr((n + base)::VARCHAR, 2)",
                // integer cents to DECIMAL without a detour through DOUBLE; width 15 keeps the product at
                // DECIMAL(18,2), 64-bit arithmetic (18,0 would make it DECIMAL(21,2), 128-bit and slower)
                "CREATE OR REPLACE TEMP MACRO soma_cents(c) AS c::DECIMAL(15,0) * 0.01");
    }

    /**
     * A multiplier for the affine permutation {@code x -> (a·x + b) mod n}: coprime with {@code n}
     * (so the map is a bijection of 0..n-1), drawn from the seed.
     */
    public long coprimeMultiplier(long n) {
        if (n <= 2) {
            return 1;
        }
        long candidate = n / 3 + random.nextLong(Math.max(1, n / 3));
        while (gcd(candidate, n) != 1) {
            candidate++;
        }
        return candidate % n;
    }

    /** An offset in [0, n), drawn from the seed. */
    public long offset(long n) {
        return n <= 1 ? 0 : random.nextLong(n);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Width of the zero-padded number in an id: {@code minimum}, or more digits when {@code rows} needs them. */
    public static int idWidth(long rows, int minimum) {
        return Math.max(minimum, Long.toString(rows).length());
    }

    /**
     * Random streams: each purpose has its own {@code k}, so no two values of one row share an input.
     * Books use 0-15, publishers 16-23, sales 24-39, inventory 40-47, campaigns 48-63.
     */
    public static final class Stream {
        public static final int BOOK_GENRE = 0;
        public static final int BOOK_FORMAT = 1;
        public static final int BOOK_AGE = 2;
        public static final int BOOK_PRICE = 3;
        public static final int BOOK_PUBLISHER = 4;
        public static final int BOOK_TITLE_PATTERN = 5;
        public static final int BOOK_TITLE_A = 6;
        public static final int BOOK_TITLE_B = 7;
        public static final int BOOK_TITLE_C = 8;
        public static final int BOOK_AUTHOR_FIRST = 9;
        public static final int BOOK_AUTHOR_LAST = 10;
        public static final int BOOK_AUTHOR_INITIAL = 11;
        public static final int BOOK_PAGES = 12; // and 13
        public static final int BOOK_LANGUAGE = 14;
        public static final int BOOK_CREATED = 15;

        public static final int PUB_NAME_PATTERN = 16;
        public static final int PUB_NAME_A = 17;
        public static final int PUB_NAME_B = 18;
        public static final int PUB_TYPE = 19;
        public static final int PUB_COUNTRY = 20;
        public static final int PUB_ESTABLISHED = 21;
        public static final int PUB_BACKLIST = 22;
        public static final int PUB_STATUS_CREATED = 23; // status; created_at uses the hash's other bits

        public static final int SALE_BOOK = 24;
        public static final int SALE_CUSTOMER = 25;
        public static final int SALE_CHANNEL = 26;
        public static final int SALE_REGION = 27;
        public static final int SALE_DATE = 28;
        public static final int SALE_DATE_AFTER_PUBLICATION = 29;
        public static final int SALE_QUANTITY = 30;
        public static final int SALE_PRICE = 31;
        public static final int SALE_DISCOUNTED = 32;
        public static final int SALE_DISCOUNT = 33;
        public static final int SALE_TIME = 34;

        public static final int INV_STOCK = 40;
        public static final int INV_STOCKOUT = 41;
        public static final int INV_REORDER = 42;
        public static final int INV_RESTOCK = 43;
        public static final int INV_COST = 44;
        public static final int INV_SHELF_LIFE = 45;
        public static final int INV_CREATED = 46;

        public static final int CAMP_TRAFFIC = 48;
        public static final int CAMP_SPLIT = 49; // and 50
        public static final int CAMP_CLICKS = 51; // and 52
        public static final int CAMP_CONTROL_FIRST = 53;
        public static final int CAMP_EXPERIMENT_END = 54;
        public static final int CAMP_IMPRESSIONS = 55;
        public static final int CAMP_CTR = 56;
        public static final int CAMP_CPM = 57;
        public static final int CAMP_DATE = 58;
        public static final int CAMP_CREATED = 59;

        private Stream() {
        }
    }
}
