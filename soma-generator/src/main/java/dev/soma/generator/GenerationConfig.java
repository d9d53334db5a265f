package dev.soma.generator;

import dev.soma.core.config.Threads;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.time.Clock;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

/**
 * What to generate: row counts, seed, the {@code as_of} date, the planted A/B lift, threads.
 * Immutable; every {@code withX} returns a copy. Validated on construction: a bad value raises a
 * {@link SomaException} ({@link ErrorCode#INVALID_CONFIG}) whose message names the field.
 *
 * <pre>{@code
 * GenerationConfig config = GenerationConfig.defaults()
 *         .withScale(10)                       // 100 publishers, 1,000 books, 1,000 sales, ...
 *         .withSeed(7)
 *         .withAsOf(LocalDate.of(2025, 6, 30))
 *         .withSales(5_000_000);               // an explicit count wins over the scale
 * }</pre>
 *
 * <p>Row counts: each table has a base count at scale 1 ({@link RawTable#baseRows()}: 10 publishers,
 * 100 books, 100 sales, 50 inventory rows, 50 campaign events). A table's count is the explicit
 * count when one was set, otherwise {@code max(1, round(base × scale))}; see {@link #rows(RawTable)}.
 *
 * <p>Same config, same DuckDB version: byte-identical tables, whatever {@link #threads()} is.
 *
 * @param scale          multiplies every base count that was not set explicitly; default 1, must be &gt; 0
 * @param seed           the random seed; default 42
 * @param asOf           the day the data is a snapshot of: every date and timestamp is before
 *                       {@code asOf} 00:00 (sales fall in the {@code salesWindowDays} days before it,
 *                       {@code created_at} in the day before it). Never the wall clock inside the generator.
 * @param salesWindowDays how many days before {@code asOf} sales span; default 730, 1 to 36,500
 * @param lift           relative click-through lift of every experiment's treatment group over its
 *                       control; default 0.10 (+10%), 0 allowed, between -0.9 and 10
 * @param threads        DuckDB threads while generating; 0 (default) leaves DuckDB's setting alone.
 *                       Does not change the data.
 * @param replace        whether existing raw tables may be replaced; default false (refuse)
 * @param publishers     explicit row count, or {@code null} for base × scale
 * @param books          explicit row count, or {@code null} for base × scale
 * @param sales          explicit row count, or {@code null} for base × scale
 * @param inventory      explicit row count, or {@code null} for base × scale
 * @param campaigns      explicit row count of {@code campaign_events}, or {@code null} for base × scale
 */
public record GenerationConfig(
        double scale,
        long seed,
        LocalDate asOf,
        int salesWindowDays,
        double lift,
        int threads,
        boolean replace,
        Long publishers,
        Long books,
        Long sales,
        Long inventory,
        Long campaigns) {

    /** Default seed. */
    public static final long DEFAULT_SEED = 42;
    /** Default number of days of sales before {@code as_of}. */
    public static final int DEFAULT_SALES_WINDOW_DAYS = 730;
    /** Default relative CTR lift of treatment over control. */
    public static final double DEFAULT_LIFT = 0.10;
    /** The most rows any one table may have. */
    public static final long MAX_ROWS = 1L << 40;
    /** The most books: ISBN-13 has 10^9 numbers under each of the 978 and 979 prefixes. */
    public static final long MAX_BOOKS = 2_000_000_000L;
    /** The most publishers (the publisher permutation multiplies two indexes in 64 bits). */
    public static final long MAX_PUBLISHERS = 2_000_000_000L;

    public GenerationConfig {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw invalid("scale must be a number greater than 0, got " + scale);
        }
        if (asOf == null) {
            throw invalid("asOf must be set (the day the data is a snapshot of)");
        }
        if (asOf.getYear() < 1900 || asOf.getYear() > 9999) {
            throw invalid("asOf must be between the years 1900 and 9999, got " + asOf);
        }
        if (salesWindowDays < 1 || salesWindowDays > 36_500) {
            throw invalid("salesWindowDays must be between 1 and 36500, got " + salesWindowDays);
        }
        if (!(lift >= -0.9 && lift <= 10)) {
            throw invalid("lift must be between -0.9 and 10 (0.10 means +10%), got " + lift);
        }
        Threads.requireOrEngineDefault("threads", threads);
        checkCount("publishers", publishers);
        checkCount("books", books);
        checkCount("sales", sales);
        checkCount("inventory", inventory);
        checkCount("campaigns", campaigns);
        long resolvedPublishers = resolve(publishers, RawTable.PUBLISHERS, scale);
        long resolvedBooks = resolve(books, RawTable.BOOKS, scale);
        long resolvedSales = resolve(sales, RawTable.SALES, scale);
        long resolvedInventory = resolve(inventory, RawTable.INVENTORY, scale);
        long resolvedCampaigns = resolve(campaigns, RawTable.CAMPAIGN_EVENTS, scale);
        for (long rows : new long[]{resolvedSales, resolvedInventory, resolvedCampaigns}) {
            if (rows > MAX_ROWS) {
                throw invalid("scale " + scale + " gives more than " + MAX_ROWS + " rows in a table; use a smaller scale");
            }
        }
        if (resolvedBooks > MAX_BOOKS) {
            throw invalid("books must be at most " + MAX_BOOKS + " (ISBN-13 has no more numbers), got "
                    + resolvedBooks + (books == null ? " from scale " + scale : ""));
        }
        if (resolvedPublishers > MAX_PUBLISHERS) {
            throw invalid("publishers must be at most " + MAX_PUBLISHERS + ", got " + resolvedPublishers
                    + (publishers == null ? " from scale " + scale : ""));
        }
        if (resolvedBooks > 0 && resolvedPublishers == 0) {
            throw invalid("publishers must be at least 1 when there are books (every book has a publisher)");
        }
        if ((resolvedSales > 0 || resolvedInventory > 0) && resolvedBooks == 0) {
            throw invalid("books must be at least 1 when there are sales or inventory rows (they refer to books)");
        }
    }

    /**
     * The defaults at scale 1, with {@code as_of} today in the system time zone. Prefer
     * {@link #defaults(Clock)} where a clock is at hand (tests, the CLI).
     */
    public static GenerationConfig defaults() {
        return defaults(Clock.systemDefaultZone());
    }

    /** The defaults at scale 1, with {@code as_of} today according to {@code clock}. */
    public static GenerationConfig defaults(Clock clock) {
        return new GenerationConfig(1.0, DEFAULT_SEED, LocalDate.now(clock), DEFAULT_SALES_WINDOW_DAYS,
                DEFAULT_LIFT, 0, false, null, null, null, null, null);
    }

    /** The number of rows {@code table} gets: the explicit count, or {@code max(1, round(base × scale))}. */
    public long rows(RawTable table) {
        Long explicit = switch (table) {
            case PUBLISHERS -> publishers;
            case BOOKS -> books;
            case SALES -> sales;
            case INVENTORY -> inventory;
            case CAMPAIGN_EVENTS -> campaigns;
        };
        return resolve(explicit, table, scale);
    }

    /** Rows per table, in generation order. */
    public Map<RawTable, Long> plannedRows() {
        Map<RawTable, Long> rows = new EnumMap<>(RawTable.class);
        for (RawTable table : RawTable.values()) {
            rows.put(table, rows(table));
        }
        return rows;
    }

    /** The first day of the sales window: {@code asOf − salesWindowDays}. */
    public LocalDate salesStart() {
        return asOf.minusDays(salesWindowDays);
    }

    /** How the campaigns split into experiments, with each group's true click-through rate. */
    public ExperimentDesign experimentDesign() {
        return ExperimentDesign.of(rows(RawTable.CAMPAIGN_EVENTS), lift);
    }

    public GenerationConfig withScale(double scale) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withSeed(long seed) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withAsOf(LocalDate asOf) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withSalesWindowDays(int salesWindowDays) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withLift(double lift) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withThreads(int threads) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withReplace(boolean replace) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withPublishers(long publishers) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withBooks(long books) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withSales(long sales) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withInventory(long inventory) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    public GenerationConfig withCampaigns(long campaigns) {
        return new GenerationConfig(scale, seed, asOf, salesWindowDays, lift, threads, replace,
                publishers, books, sales, inventory, campaigns);
    }

    private static long resolve(Long explicit, RawTable table, double scale) {
        if (explicit != null) {
            return explicit;
        }
        double scaled = Math.rint(table.baseRows() * scale);
        return scaled >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) scaled);
    }

    private static void checkCount(String field, Long value) {
        if (value != null && value < 0) {
            throw invalid(field + " must be 0 or more, got " + value);
        }
        if (value != null && value > MAX_ROWS) {
            throw invalid(field + " must be at most " + MAX_ROWS + ", got " + value);
        }
    }

    private static SomaException invalid(String message) {
        return new SomaException(ErrorCode.INVALID_CONFIG, message);
    }
}
