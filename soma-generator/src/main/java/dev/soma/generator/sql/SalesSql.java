package dev.soma.generator.sql;

import dev.soma.generator.sql.SqlRandom.Stream;

import java.util.List;

/**
 * {@code raw.sales}: the bulk table. Each sale picks a book by a Zipf-like popularity rank, looks up
 * that book's list price and publication year, draws a date from the sales calendar, and derives
 * channel, quantity, discount and amounts. {@code total_amount} is exact integer arithmetic in cents.
 *
 * <p>Where the time goes (EXPLAIN ANALYZE, benchmarks/README.md section 14): each sale recomputes its
 * book's price and publication year from the book macros (four hashes and a power). Indexing per-book
 * lists held in a one-row cross-joined table looks cheaper but is not: DuckDB's cross product copies
 * the one row's lists into every vector of 2,048 rows, 1.2 MB per vector at 100,000 books and growing
 * with the book count (issue 28 measured it at a fifth of the statement). Only the calendar's slot
 * list ({@code SMALLINT}, 128 KB) is cross-joined. Codes become strings through {@code CASE}, not by
 * indexing a list literal, which DuckDB re-casts for every vector.
 */
public final class SalesSql implements TableSql {

    static final List<String> CHANNELS = List.of("'Online'", "'Retail'", "'Wholesale'", "'Direct'");
    static final List<String> CUSTOMER_TYPES = List.of("'Individual'", "'Business'", "'Educational'");
    static final Weighted CUSTOMER_TYPE = Weighted.codes(70, 20, 10);
    /** Channel mix by customer type (Online, Retail, Wholesale, Direct). */
    static final Weighted CHANNEL_INDIVIDUAL = Weighted.codes(55, 35, 0, 10);
    static final Weighted CHANNEL_BUSINESS = Weighted.codes(15, 5, 50, 30);
    static final Weighted CHANNEL_EDUCATIONAL = Weighted.codes(20, 5, 35, 40);
    static final Weighted REGION = Weighted.of("'North'", 22, "'South'", 20, "'East'", 20, "'West'", 23, "'Central'", 15);

    private final Layout layout;

    public SalesSql(Layout layout) {
        this.layout = layout;
    }

    @Override
    public String table() {
        return "sales";
    }

    @Override
    public long rows() {
        return layout.sales;
    }

    @Override
    public List<String> prepare() {
        return BooksSql.macros(layout);
    }

    /** {@code CASE code WHEN 0 THEN values[0] … ELSE values[n-1] END}. */
    static String byCode(String code, List<String> values) {
        StringBuilder sql = new StringBuilder("CASE ").append(code);
        for (int i = 0; i < values.size() - 1; i++) {
            sql.append(" WHEN ").append(i).append(" THEN ").append(values.get(i));
        }
        return sql.append(" ELSE ").append(values.get(values.size() - 1)).append(" END").toString();
    }

    @Override
    public String insert(long from, long to) {
        String books = Long.toString(layout.books);
        String picked = "SELECT i,"
                + " (" + layout.popularityA + " * soma_zipf(soma_u(i, " + Stream.SALE_BOOK + "), " + books + ") + "
                + layout.popularityB + ") % " + books + " AS b,"
                + " " + CUSTOMER_TYPE.sql("soma_u(i, " + Stream.SALE_CUSTOMER + ")") + " AS ct,"
                + " l.day_slots[1 + soma_pick(i, " + Stream.SALE_DATE + ", " + layout.calendar.slots() + ")] AS day"
                + " FROM " + Lookups.rows("i") + " CROSS JOIN " + Lookups.CALENDAR_TABLE + " l";
        String channel = "soma_u(i, " + Stream.SALE_CHANNEL + ")";
        String described = "SELECT i, b, ct, make_date(soma_book_year(b), 1, 1) AS published,"
                + " soma_book_price_cents(b) AS list_cents,"
                + " CASE ct WHEN 0 THEN " + CHANNEL_INDIVIDUAL.sql(channel)
                + " WHEN 1 THEN " + CHANNEL_BUSINESS.sql(channel)
                + " ELSE " + CHANNEL_EDUCATIONAL.sql(channel) + " END AS ch,"
                + " " + REGION.sql("soma_u(i, " + Stream.SALE_REGION + ")") + " AS region,"
                + " " + Layout.date(layout.salesStart) + " + day AS d0"
                + " FROM (" + picked + ")";
        String discounted = "soma_u(i, " + Stream.SALE_DISCOUNTED + ") < 0.4";
        String discount = "soma_pick(i, " + Stream.SALE_DISCOUNT + ", ";
        String priced = "SELECT i, b, ct, ch, region,"
                // no sale before January 1 of the book's publication year: redraw such dates after it
                + " CASE WHEN d0 < published THEN published + floor(soma_u(i, " + Stream.SALE_DATE_AFTER_PUBLICATION
                + ") * (" + Layout.date(layout.asOf) + " - published))::INTEGER ELSE d0 END AS sale_date,"
                + " CASE ch WHEN 2 THEN 10 + soma_pick(i, " + Stream.SALE_QUANTITY + ", 91)"
                + " WHEN 3 THEN 1 + soma_pick(i, " + Stream.SALE_QUANTITY + ", 20)"
                + " ELSE least(10, 1 + floor(ln(1.0 - soma_u(i, " + Stream.SALE_QUANTITY + ")) / ln(0.3)))::BIGINT END AS q,"
                + " round(list_cents * (0.97 + 0.06 * soma_u(i, " + Stream.SALE_PRICE + ")))::BIGINT AS unit0,"
                // discounts in hundredths of a percent, in half-percent steps
                + " CASE ch WHEN 0 THEN CASE WHEN " + discounted + " THEN 0 ELSE 50 * (2 + " + discount + "29)) END"
                + " WHEN 1 THEN CASE WHEN " + discounted + " THEN 0 ELSE 50 * (2 + " + discount + "19)) END"
                + " WHEN 2 THEN 50 * (50 + " + discount + "41))"
                + " ELSE 50 * (10 + " + discount + "31)) END"
                + " + CASE ct WHEN 1 THEN 500 WHEN 2 THEN 1000 ELSE 0 END AS dh"
                + " FROM (" + described + ")";
        // a total exactly half a cent away from two roundings would make round(DOUBLE) ambiguous for anyone
        // checking the arithmetic; one cent more on the unit price always moves it off the tie
        String settled = "SELECT *, unit0 + CASE WHEN (q * unit0 * (10000 - dh)) % 10000 = 5000 THEN 1 ELSE 0 END AS unit"
                + " FROM (" + priced + ")";
        return "INSERT INTO " + Layout.stagingTable("sales") + " SELECT"
                + " soma_id('TXN_', i + 1, " + Layout.base(layout.saleWidth) + "),"
                + " soma_id('BOOK_', b + 1, " + Layout.base(layout.bookWidth) + "),"
                + " sale_date, q::INTEGER, soma_cents(unit), soma_cents(dh),"
                + " soma_cents((q * unit * (10000 - dh) + 5000) // 10000),"
                + " " + byCode("ch", CHANNELS) + ", " + byCode("ct", CUSTOMER_TYPES) + ", region,"
                // sale_date 08:00 to 21:59:59, built as epoch microseconds (cheaper than DATE + INTERVAL)
                + " make_timestamp((date_diff('day', DATE '1970-01-01', sale_date) * 86400 + 28800"
                + " + soma_pick(i, " + Stream.SALE_TIME + ", 50400)) * 1000000)"
                + " FROM (" + settled + ")";
    }
}
