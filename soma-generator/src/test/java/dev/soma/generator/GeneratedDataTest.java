package dev.soma.generator;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated data against the documented schemas, value sets, formats and consistency rules. */
class GeneratedDataTest {

    private static final SqlOwner TEST = SqlOwner.soma("test");
    private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
    private static final GenerationConfig CONFIG = GenerationConfig.defaults()
            .withAsOf(AS_OF).withScale(30).withSalesWindowDays(400);

    private static Warehouse warehouse;
    private static GenerationResult result;

    @BeforeAll
    static void generate() {
        warehouse = Warehouse.inMemory();
        result = Generator.with(CONFIG).generate(warehouse);
    }

    @AfterAll
    static void close() {
        warehouse.close();
    }

    @Test
    void resultCountsEveryTableAndTheTablesHaveThoseRows() {
        assertThat(result.rows()).isEqualTo(CONFIG.plannedRows());
        for (RawTable table : RawTable.values()) {
            assertThat(count("SELECT count(*) FROM raw." + table.tableName())).as(table.name()).isEqualTo(result.rows(table));
        }
        assertThat(result.rows(RawTable.SALES)).isEqualTo(3_000);
        assertThat(result.totalRows()).isEqualTo(300 + 3_000 + 3_000 + 1_500 + 1_500);
        assertThat(result.rowsPerSecond()).isPositive();
        assertThat(result.durations()).containsOnlyKeys(RawTable.values());
    }

    @Test
    void schemasHaveExactlyTheDocumentedColumnsAndTypes() {
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1"))
                .containsExactly("books", "campaign_events", "inventory", "publishers", "sales");
        for (RawTable table : RawTable.values()) {
            List<String> columns = strings("SELECT column_name || ' ' || data_type FROM information_schema.columns"
                    + " WHERE table_schema = 'raw' AND table_name = '" + table.tableName() + "' ORDER BY ordinal_position");
            assertThat(columns).as(table.tableName())
                    .containsExactlyElementsOf(table.columns().stream().map(c -> c.name() + " " + c.type()).toList());
        }
        assertThat(RawTable.SALES.columns()).extracting(RawTable.Column::name).containsExactly("transaction_id", "book_id",
                "sale_date", "quantity", "unit_price", "discount_percent", "total_amount", "channel", "customer_type",
                "region", "created_at");
    }

    @Test
    void categoricalColumnsUseOnlyTheDocumentedValuesAndAllOfThem() {
        assertValues("publishers", "publisher_type", "Academic", "Digital", "Independent", "Traditional");
        assertValues("publishers", "active_status", "Active", "Inactive");
        assertValues("books", "genre", "Biography", "Fantasy", "Fiction", "Non-Fiction", "Science");
        assertValues("books", "format", "Audiobook", "Hardcover", "Paperback", "eBook");
        assertValues("books", "language", "English", "French", "German", "Spanish");
        assertValues("sales", "channel", "Direct", "Online", "Retail", "Wholesale");
        assertValues("sales", "customer_type", "Business", "Educational", "Individual");
        assertValues("sales", "region", "Central", "East", "North", "South", "West");
        assertValues("inventory", "warehouse_location", "Warehouse_A", "Warehouse_B", "Warehouse_C");
        assertValues("campaign_events", "treatment_group", "control", "treatment");
    }

    @Test
    void idsHaveTheDocumentedFormatsAndAreUniqueAndDense() {
        assertFormat("publishers", "publisher_id", "PUB_[0-9]{6}", 300);
        assertFormat("books", "book_id", "BOOK_[0-9]{6}", 3_000);
        assertFormat("sales", "transaction_id", "TXN_[0-9]{8}", 3_000);
        assertFormat("inventory", "inventory_id", "INV_[0-9]{8}", 1_500);
        assertFormat("campaign_events", "campaign_id", "CAMP_[0-9]{6}", 1_500);
        assertThat(count("SELECT count(*) FROM raw.campaign_events WHERE experiment_id IS NOT NULL"
                + " AND NOT regexp_full_match(experiment_id, 'EXP_[0-9]{4}')")).isZero();
        assertThat(strings("SELECT book_id FROM raw.books LIMIT 2")).containsExactly("BOOK_000001", "BOOK_000002");
    }

    @Test
    void isbnsAreValidThirteenDigitNumbersAndUnique() {
        List<String> isbns = strings("SELECT isbn FROM raw.books");
        assertThat(isbns).hasSize(3_000).doesNotHaveDuplicates().allSatisfy(isbn -> {
            assertThat(isbn).matches("97[89][0-9]{10}");
            assertThat(isbn.charAt(12) - '0').as(isbn).isEqualTo(checkDigit(isbn.substring(0, 12)));
        });
    }

    @Test
    void everyForeignKeyResolves() {
        assertThat(count("SELECT count(*) FROM raw.books b ANTI JOIN raw.publishers p USING (publisher_id)")).isZero();
        assertThat(count("SELECT count(*) FROM raw.sales s ANTI JOIN raw.books b USING (book_id)")).isZero();
        assertThat(count("SELECT count(*) FROM raw.inventory i ANTI JOIN raw.books b USING (book_id)")).isZero();
        assertThat(count("SELECT count(*) FROM raw.books WHERE publisher_id IS NULL")).isZero();
    }

    @Test
    void totalAmountIsQuantityTimesUnitPriceLessDiscountRoundedToCents() {
        // exactly, in integer cents (round half up, as the generator defines it)
        assertThat(count("SELECT count(*) FROM raw.sales WHERE (total_amount * 100)::BIGINT <>"
                + " ((quantity * (unit_price * 100)::BIGINT * (10000 - (discount_percent * 100)::BIGINT) + 5000) // 10000)")).isZero();
        // and the way an analyst would write it, in DuckDB's own (DOUBLE) arithmetic
        assertThat(count("SELECT count(*) FROM raw.sales WHERE total_amount <>"
                + " round(quantity * unit_price * (1 - discount_percent / 100), 2)")).isZero();
        assertThat(count("SELECT count(*) FROM raw.sales WHERE total_amount <= 0 OR quantity < 1 OR unit_price <= 0")).isZero();
        assertThat(count("SELECT count(*) FROM raw.sales WHERE discount_percent < 0 OR discount_percent > 60")).isZero();
    }

    @Test
    void unitPriceIsWithinThreePercentOfTheBooksListPrice() {
        assertThat(count("SELECT count(*) FROM raw.sales s JOIN raw.books b USING (book_id)"
                + " WHERE s.unit_price < b.price * 0.97 - 0.01 OR s.unit_price > b.price * 1.03 + 0.02")).isZero();
        assertThat(count("SELECT count(*) FROM raw.books WHERE price < 2.99 OR price > 49.99 OR (price * 100)::BIGINT % 100 <> 99")).isZero();
    }

    @Test
    void datesFallInTheirWindowsAndNothingIsNewerThanAsOf() {
        assertThat(count("SELECT count(*) FROM raw.sales WHERE sale_date < DATE '2024-05-26' OR sale_date >= DATE '2025-06-30'"))
                .as("sales in the 400 days before as_of").isZero();
        assertThat(count("SELECT count(*) FROM raw.sales s JOIN raw.books b USING (book_id)"
                + " WHERE s.sale_date < make_date(b.publication_year, 1, 1)")).as("no sale before the publication year").isZero();
        assertThat(count("SELECT count(*) FROM raw.books WHERE publication_year > 2025 OR publication_year < 1985")).isZero();
        for (RawTable table : RawTable.values()) {
            assertThat(count("SELECT count(*) FROM raw." + table.tableName() + " WHERE created_at >= TIMESTAMP '2025-06-30'"
                    + " OR created_at < TIMESTAMP '2023-01-01'")).as(table.tableName()).isZero();
            assertThat(count("SELECT count(*) FROM raw." + table.tableName() + " WHERE created_at IS NULL")).isZero();
        }
        assertThat(count("SELECT count(*) FROM raw.books WHERE created_at < TIMESTAMP '2025-06-29'"))
                .as("dimension rows are loaded in the day before as_of, so freshness checks pass").isZero();
        assertThat(count("SELECT count(*) FROM raw.sales WHERE created_at::DATE <> sale_date")).isZero();
        assertThat(count("SELECT count(*) FROM raw.inventory WHERE last_restock_date >= DATE '2025-06-30'")).isZero();
        assertThat(count("SELECT count(*) FROM raw.campaign_events WHERE campaign_date >= DATE '2025-06-30'")).isZero();
        assertThat(count("SELECT count(*) FROM raw.publishers WHERE established_year > 2024 OR established_year < 1800")).isZero();
    }

    @Test
    void campaignsKeepClicksWithinImpressionsAndExperimentsHaveBothGroups() {
        assertThat(count("SELECT count(*) FROM raw.campaign_events WHERE clicks > impressions OR clicks < 0 OR impressions <= 0")).isZero();
        assertThat(count("SELECT count(*) FROM raw.campaign_events WHERE (experiment_id IS NULL) <> (treatment_group IS NULL)")).isZero();
        ExperimentDesign design = result.experiments();
        assertThat(count("SELECT count(*) FROM raw.campaign_events WHERE experiment_id IS NOT NULL")).isEqualTo(design.experimentRows());
        assertThat(count("SELECT count(DISTINCT experiment_id) FROM raw.campaign_events")).isEqualTo(design.experiments());
        assertThat(count("SELECT count(*) FROM (SELECT experiment_id FROM raw.campaign_events WHERE experiment_id IS NOT NULL"
                + " GROUP BY 1 HAVING count(*) FILTER (WHERE treatment_group = 'control') = 0"
                + " OR count(*) FILTER (WHERE treatment_group = 'treatment') = 0)")).isZero();
        assertThat(count("SELECT count(*) FILTER (WHERE treatment_group = 'control') - count(*) FILTER (WHERE treatment_group = 'treatment')"
                + " FROM raw.campaign_events")).as("one control and one treatment per pair").isZero();
    }

    @Test
    void inventoryPairsAreUniqueAndPublishersCountAtLeastTheirCatalogue() {
        assertThat(count("SELECT count(*) - count(DISTINCT (book_id, warehouse_location)) FROM raw.inventory")).isZero();
        assertThat(count("SELECT count(*) FROM raw.publishers p JOIN (SELECT publisher_id, count(*) AS n FROM raw.books GROUP BY 1) b"
                + " USING (publisher_id) WHERE p.total_titles < b.n")).isZero();
        assertThat(count("SELECT count(*) FROM raw.inventory WHERE stock_quantity < 0 OR reorder_point < 10 OR storage_cost_per_unit <= 0"))
                .isZero();
    }

    @Test
    void textLooksVariedNotRepetitive() {
        assertThat(count("SELECT count(DISTINCT title) FROM raw.books")).as("distinct titles of 3,000").isGreaterThan(2_600);
        assertThat(count("SELECT count(DISTINCT author) FROM raw.books")).isGreaterThan(2_800);
        assertThat(count("SELECT count(DISTINCT publisher_name) FROM raw.publishers")).isGreaterThan(280);
        assertThat(count("SELECT count(*) FROM raw.books WHERE title = '' OR author = '' OR title IS NULL")).isZero();
        assertThat(count("SELECT count(DISTINCT country) FROM raw.publishers")).isGreaterThan(10);
    }

    @Test
    void plantedSkewAndSeasonalityAreThere() {
        // Zipf-like popularity: the top 10% of books take most sales
        double topShare = number("SELECT sum(n) FILTER (WHERE r <= 300) / sum(n) FROM"
                + " (SELECT count(*) AS n, row_number() OVER (ORDER BY count(*) DESC) AS r FROM raw.sales GROUP BY book_id)");
        assertThat(topShare).isGreaterThan(0.5);
        // Q4: December days sell more than June days
        double december = number("SELECT count(*) / 31.0 FROM raw.sales WHERE month(sale_date) = 12");
        double june = number("SELECT count(*) / 30.0 FROM raw.sales WHERE month(sale_date) = 6 AND sale_date < DATE '2025-06-01'");
        assertThat(december / june).isGreaterThan(1.4);
        // Wholesale and business buyers get bigger discounts
        assertThat(number("SELECT avg(discount_percent) FROM raw.sales WHERE channel = 'Wholesale'"))
                .isGreaterThan(number("SELECT avg(discount_percent) FROM raw.sales WHERE channel = 'Online'") + 15);
        assertThat(count("SELECT count(*) FROM raw.sales WHERE customer_type = 'Individual' AND channel = 'Wholesale'")).isZero();
    }

    private static void assertValues(String table, String column, String... values) {
        assertThat(strings("SELECT DISTINCT " + column + " FROM raw." + table + " WHERE " + column + " IS NOT NULL ORDER BY 1"))
                .as(table + "." + column).containsExactly(values);
    }

    private static void assertFormat(String table, String column, String regex, long rows) {
        assertThat(count("SELECT count(*) FROM raw." + table + " WHERE NOT regexp_full_match(" + column + ", '" + regex + "')"))
                .as(table + "." + column + " format").isZero();
        assertThat(count("SELECT count(DISTINCT " + column + ") FROM raw." + table)).as(table + "." + column + " unique").isEqualTo(rows);
        assertThat(count("SELECT max(CAST(regexp_extract(" + column + ", '[0-9]+$') AS BIGINT)) FROM raw." + table)).isEqualTo(rows);
    }

    static int checkDigit(String twelve) {
        int sum = 0;
        for (int p = 0; p < 12; p++) {
            sum += (twelve.charAt(p) - '0') * (p % 2 == 0 ? 1 : 3);
        }
        return (10 - sum % 10) % 10;
    }

    private static long count(String sql) {
        return warehouse.queryLong(TEST, sql);
    }

    private static double number(String sql) {
        return warehouse.query(TEST, sql, rs -> {
            rs.next();
            return rs.getDouble(1);
        });
    }

    private static List<String> strings(String sql) {
        return warehouse.queryList(TEST, sql, rs -> rs.getString(1));
    }

    @SuppressWarnings("unused")
    private static Set<String> set(String sql) {
        return new HashSet<>(strings(sql));
    }
}
