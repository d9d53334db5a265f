package dev.soma.generator.sql;

import dev.soma.generator.sql.SqlRandom.Stream;

import java.util.List;

/**
 * {@code raw.publishers}, generated after the books: {@code total_titles} is the publisher's number
 * of books in {@code raw.books} plus a log-uniform backlist of 1 to 1,999 titles, so it is never
 * smaller than the catalogue the data shows.
 */
public final class PublishersSql implements TableSql {

    static final Weighted TYPE = Weighted.codes(40, 30, 15, 15);
    static final String TYPES = "['Traditional', 'Independent', 'Academic', 'Digital']";
    static final String SUFFIXES = "['Press', 'Publishing', 'Books', 'Publishers', 'House', 'Media', 'Editions', 'Group']";
    private static final String TITLES = "soma_gen_titles";

    private final Layout layout;
    private final Lookups lookups;

    public PublishersSql(Layout layout, Lookups lookups) {
        this.layout = layout;
        this.lookups = lookups;
    }

    @Override
    public String table() {
        return "publishers";
    }

    @Override
    public long rows() {
        return layout.publishers;
    }

    @Override
    public List<String> prepare() {
        return List.of("CREATE OR REPLACE TEMP TABLE " + TITLES + " AS SELECT CAST(substr(publisher_id, 5) AS BIGINT) - 1 AS j,"
                + " count(*) AS titles FROM " + Layout.stagingTable("books") + " GROUP BY ALL");
    }

    @Override
    public List<String> finish() {
        return List.of("DROP TABLE IF EXISTS " + TITLES);
    }

    @Override
    public String insert(long from, long to) {
        int year = layout.asOf.getYear();
        String suffix = SUFFIXES + "[1 + soma_pick(j, " + Stream.PUB_NAME_B + ", 8)]";
        String name = "CASE soma_pick(j, " + Stream.PUB_NAME_PATTERN + ", 4)"
                + " WHEN 0 THEN " + lookups.pick("companies", "j", Stream.PUB_NAME_A) + " || ' ' || " + suffix
                + " WHEN 1 THEN " + lookups.pick("last_names", "j", Stream.PUB_NAME_A) + " || ' & ' || "
                + lookups.pick("last_names", "j", Stream.PUB_NAME_B) + " || ' Publishers'"
                + " WHEN 2 THEN " + lookups.pick("cities", "j", Stream.PUB_NAME_A) + " || ' ' || " + suffix
                + " ELSE " + lookups.pick("adjectives", "j", Stream.PUB_NAME_A) + " || ' ' || "
                + lookups.pick("nouns", "j", Stream.PUB_NAME_PATTERN) + " || ' ' || " + suffix + " END";
        // founded: Traditional 1800-1980, Independent 1960 on, Academic 1850-1990, Digital 1995 on; never after as_of's year - 1
        String established = "CASE type"
                + " WHEN 0 THEN " + range(1800, 1980, year)
                + " WHEN 1 THEN " + range(1960, year - 1, year)
                + " WHEN 2 THEN " + range(1850, 1990, year)
                + " ELSE " + range(1995, year - 1, year) + " END";
        String inner = "SELECT j, " + name + " AS name,"
                + " " + TYPE.sql("soma_u(j, " + Stream.PUB_TYPE + ")") + " AS type,"
                // a few countries hold most publishers: Zipf-like over the country pool
                + " " + Lookups.at("countries", "soma_zipf(soma_u(j, " + Stream.PUB_COUNTRY + "), "
                + layout.pools.size("countries") + ")") + " AS country,"
                + " floor(exp(soma_u(j, " + Stream.PUB_BACKLIST + ") * ln(2000)))::BIGINT AS backlist,"
                + " CASE WHEN soma_h(j, " + Stream.PUB_STATUS_CREATED + ") % 10 = 0 THEN 'Inactive' ELSE 'Active' END AS status,"
                + " " + Layout.midnight(layout.asOf) + " - to_seconds(1 + (soma_h(j, " + Stream.PUB_STATUS_CREATED
                + ") // 10) % 86400) AS created_at"
                + " FROM " + Lookups.from("j");
        return "INSERT INTO " + Layout.stagingTable("publishers") + " SELECT"
                + " soma_id('PUB_', x.j + 1, " + Layout.base(layout.publisherWidth) + "), name, " + TYPES + "[type + 1], country,"
                + " established::INTEGER, (coalesce(t.titles, 0) + backlist)::INTEGER, status, created_at"
                + " FROM (SELECT *, " + established + " AS established FROM (" + inner + ")) x"
                + " LEFT JOIN " + TITLES + " t ON t.j = x.j"
                + " ORDER BY x.j";
    }

    /** A year drawn uniformly from [lo, hi], both capped at {@code year - 1}. */
    private static String range(int lo, int hi, int year) {
        int top = Math.min(hi, year - 1);
        int bottom = Math.min(lo, top);
        return bottom + " + soma_pick(j, " + Stream.PUB_ESTABLISHED + ", " + (top - bottom + 1) + ")";
    }
}
