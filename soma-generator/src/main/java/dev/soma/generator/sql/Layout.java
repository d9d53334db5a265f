package dev.soma.generator.sql;

import dev.soma.generator.calendar.SalesCalendar;
import dev.soma.generator.text.TextPools;

import java.time.LocalDate;

/**
 * Everything the table SQL needs, resolved once: row counts, id widths, seed-derived permutation
 * constants, dates, the experiment layout, the text pools and the sales calendar.
 */
public final class Layout {

    final long publishers;
    final long books;
    final long sales;
    final long inventory;
    final long campaigns;

    final int publisherWidth;
    final int bookWidth;
    final int saleWidth;
    final int inventoryWidth;
    final int campaignWidth;

    final LocalDate asOf;
    final LocalDate salesStart;
    final int salesWindowDays;
    /** The latest publication year: the year of the day before as_of, so every book can have sold. */
    final int maxPublicationYear;

    final double lift;
    final long experimentRows;
    final long experiments;
    final int experimentWidth;

    final SqlRandom random;
    final long isbnA;
    final long isbnB;
    final long popularityA;
    final long popularityB;
    final long publisherA;
    final long publisherB;
    final long inventoryA;
    final long inventoryB;

    final TextPools pools;
    final SalesCalendar calendar;

    /**
     * @param experimentRows campaign rows in experiments (even)
     * @param experiments    number of experiments
     */
    public Layout(long seed, long publishers, long books, long sales, long inventory, long campaigns,
                  LocalDate asOf, int salesWindowDays, double lift, long experimentRows, long experiments,
                  int experimentWidth, TextPools pools) {
        this.publishers = publishers;
        this.books = books;
        this.sales = sales;
        this.inventory = inventory;
        this.campaigns = campaigns;
        this.publisherWidth = SqlRandom.idWidth(publishers, 6);
        this.bookWidth = SqlRandom.idWidth(books, 6);
        this.saleWidth = SqlRandom.idWidth(sales, 8);
        this.inventoryWidth = SqlRandom.idWidth(inventory, 8);
        this.campaignWidth = SqlRandom.idWidth(campaigns, 6);
        this.asOf = asOf;
        this.salesWindowDays = salesWindowDays;
        this.salesStart = asOf.minusDays(salesWindowDays);
        this.maxPublicationYear = asOf.minusDays(1).getYear();
        this.lift = lift;
        this.experimentRows = experimentRows;
        this.experiments = experiments;
        this.experimentWidth = experimentWidth;
        this.random = new SqlRandom(seed);
        this.isbnA = random.coprimeMultiplier(Isbn.BODIES);
        this.isbnB = random.offset(Isbn.BODIES);
        this.popularityA = random.coprimeMultiplier(books);
        this.popularityB = random.offset(books);
        this.publisherA = random.coprimeMultiplier(publishers);
        this.publisherB = random.offset(publishers);
        this.inventoryA = random.coprimeMultiplier(3 * books);
        this.inventoryB = random.offset(3 * books);
        this.pools = pools;
        this.calendar = new SalesCalendar(salesStart, salesWindowDays);
    }

    /** Prefix of the tables a generation fills before they replace the raw tables. */
    public static final String STAGING_PREFIX = "_soma_next_";

    /** The table a generation writes for raw table {@code name}: {@code raw."_soma_next_name"}. */
    public static String stagingTable(String name) {
        return "raw.\"" + STAGING_PREFIX + name + "\"";
    }

    /** {@code 10^width}, the {@code base} argument of {@code soma_id}. */
    static long base(int width) {
        long base = 1;
        for (int i = 0; i < width; i++) {
            base *= 10;
        }
        return base;
    }

    /** The SQL of a date literal. */
    static String date(LocalDate date) {
        return "DATE '" + date + "'";
    }

    /** The SQL of midnight at the start of {@code date}. */
    static String midnight(LocalDate date) {
        return "TIMESTAMP '" + date + " 00:00:00'";
    }

    /** The SQL of a double constant, exactly as Java holds it. */
    static String number(double value) {
        // a bare 0.1 would be a DECIMAL literal in DuckDB; the cast keeps the arithmetic in DOUBLE
        return "(" + Double.toString(value) + ")::DOUBLE";
    }
}
