package dev.soma.generator.sql;

import dev.soma.generator.sql.SqlRandom.Stream;

import java.util.List;

/**
 * {@code raw.books}. A book's genre, format, publication year and price are macros of its row number
 * ({@code soma_book_*}), shared with {@link SalesSql}, which recomputes them instead of joining.
 */
public final class BooksSql implements TableSql {

    static final String GENRES = "['Fiction', 'Non-Fiction', 'Science', 'Biography', 'Fantasy']";
    static final Weighted GENRE = Weighted.codes(30, 25, 15, 12, 18);
    static final String FORMATS = "['Hardcover', 'Paperback', 'eBook', 'Audiobook']";
    static final Weighted FORMAT = Weighted.codes(25, 40, 25, 10);
    static final Weighted LANGUAGE = Weighted.of("'English'", 70, "'Spanish'", 12, "'French'", 9, "'German'", 9);
    /** Genre code of Science, whose books cost 5.00 more. */
    static final int SCIENCE = 2;
    /** Publication years go back up to this many years, skewed to recent: age = floor(AGE_SPAN × u^1.5). */
    static final int AGE_SPAN = 40;

    private final Layout layout;
    private final Lookups lookups;

    public BooksSql(Layout layout, Lookups lookups) {
        this.layout = layout;
        this.lookups = lookups;
    }

    /** The book macros; run before books and before sales. */
    static List<String> macros(Layout layout) {
        return List.of(
                "CREATE OR REPLACE TEMP MACRO soma_book_genre(b) AS " + GENRE.sql("soma_u(b, " + Stream.BOOK_GENRE + ")"),
                "CREATE OR REPLACE TEMP MACRO soma_book_format(b) AS " + FORMAT.sql("soma_u(b, " + Stream.BOOK_FORMAT + ")"),
                "CREATE OR REPLACE TEMP MACRO soma_book_year(b) AS (" + layout.maxPublicationYear + " - floor("
                        + AGE_SPAN + " * pow(soma_u(b, " + Stream.BOOK_AGE + "), 1.5)))::INTEGER",
                // list prices end in .99: Hardcover 19.99-44.99, Paperback 9.99-21.99, eBook 2.99-14.99,
                // Audiobook 14.99-34.99; Science costs 5.00 more
                "CREATE OR REPLACE TEMP MACRO soma_book_price_cents(b) AS ("
                        + "CASE soma_book_format(b)"
                        + " WHEN 0 THEN 19 + soma_pick(b, " + Stream.BOOK_PRICE + ", 26)"
                        + " WHEN 1 THEN 9 + soma_pick(b, " + Stream.BOOK_PRICE + ", 13)"
                        + " WHEN 2 THEN 2 + soma_pick(b, " + Stream.BOOK_PRICE + ", 13)"
                        + " ELSE 14 + soma_pick(b, " + Stream.BOOK_PRICE + ", 21) END) * 100 + 99"
                        + " + CASE WHEN soma_book_genre(b) = " + SCIENCE + " THEN 500 ELSE 0 END");
    }

    @Override
    public String table() {
        return "books";
    }

    @Override
    public long rows() {
        return layout.books;
    }

    @Override
    public List<String> prepare() {
        return macros(layout);
    }

    @Override
    public String insert(long from, long to) {
        String adjective = lookups.pick("adjectives", "i", Stream.BOOK_TITLE_A);
        String noun = lookups.pick("nouns", "i", Stream.BOOK_TITLE_B);
        String noun2 = lookups.pick("nouns", "i", Stream.BOOK_TITLE_C);
        String city = lookups.pick("cities", "i", Stream.BOOK_TITLE_C);
        String classic = lookups.pick("book_titles", "i", Stream.BOOK_TITLE_C);
        String title = "CASE soma_pick(i, " + Stream.BOOK_TITLE_PATTERN + ", 8)"
                + " WHEN 0 THEN " + classic
                + " WHEN 1 THEN 'The ' || " + adjective + " || ' ' || " + noun
                + " WHEN 2 THEN 'The ' || " + noun + " || ' of ' || " + city
                + " WHEN 3 THEN " + noun + " || ' and ' || " + noun2
                + " WHEN 4 THEN " + classic + " || ': The ' || " + adjective + " || ' ' || " + noun
                + " WHEN 5 THEN 'Beyond the ' || " + adjective + " || ' ' || " + noun
                + " WHEN 6 THEN 'One ' || " + noun + " || ' in ' || " + city
                + " ELSE 'The ' || " + noun + " || ' of the ' || " + adjective + " || ' ' || " + noun2 + " END";
        String author = lookups.pick("first_names", "i", Stream.BOOK_AUTHOR_FIRST) + " || ' ' || "
                + "CASE WHEN soma_h(i, " + Stream.BOOK_AUTHOR_INITIAL + ") % 5 = 0"
                + " THEN chr(65 + ((soma_h(i, " + Stream.BOOK_AUTHOR_INITIAL + ") // 5) % 26)::INTEGER) || '. '"
                + " ELSE '' END || " + lookups.pick("last_names", "i", Stream.BOOK_AUTHOR_LAST);
        // publishers differ in size: a Zipf-like rank, spread over publisher ids by a permutation
        String publisher = "(" + layout.publisherA + " * soma_zipf(soma_u(i, " + Stream.BOOK_PUBLISHER + "), "
                + layout.publishers + ") + " + layout.publisherB + ") % " + layout.publishers;
        return "INSERT INTO " + Layout.stagingTable("books") + " SELECT"
                + " soma_id('BOOK_', i + 1, " + Layout.base(layout.bookWidth) + "),"
                + " soma_isbn(" + Isbn.twelveDigits("i", layout.isbnA, layout.isbnB) + "),"
                + " " + title + ","
                + " " + author + ","
                + " soma_id('PUB_', " + publisher + " + 1, " + Layout.base(layout.publisherWidth) + "),"
                + " " + GENRES + "[soma_book_genre(i) + 1],"
                + " soma_book_year(i),"
                + " (96 + floor((soma_u(i, " + Stream.BOOK_PAGES + ") + soma_u(i, " + (Stream.BOOK_PAGES + 1) + ")) * 250))::INTEGER,"
                + " soma_cents(soma_book_price_cents(i)),"
                + " " + FORMATS + "[soma_book_format(i) + 1],"
                + " " + LANGUAGE.sql("soma_u(i, " + Stream.BOOK_LANGUAGE + ")") + ","
                + " " + Layout.midnight(layout.asOf) + " - to_seconds(1 + soma_pick(i, " + Stream.BOOK_CREATED + ", 86400))"
                + " FROM " + Lookups.from("i");
    }
}
