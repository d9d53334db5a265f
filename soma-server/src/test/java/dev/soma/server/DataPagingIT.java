package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.core.warehouse.SqlOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /data} pages a table in row id order by its cursor, whether the page's rows sit in one row group or
 * straddle two, whether the table has holes where rows were deleted, and whether DuckDB keeps insertion order at all
 * ({@code preserve_insertion_order = false} lets it return a statement's rows in any order): each page is what
 * {@code ORDER BY rowid} says, and following {@code next_after} visits every row once.
 */
class DataPagingIT {

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inMemory();

    private static final SqlOwner OWNER = SqlOwner.loader("test");
    /** Rows in a DuckDB row group: a cursor just before its end makes a page straddle two. */
    private static final long ROW_GROUP = 122_880;

    @Test
    void pagesComeInRowIdOrderAcrossRowGroupsAndHoles() {
        // the project's source table, 300,000 rows long (this class's own database)
        fixture.warehouse().execute(OWNER, "CREATE OR REPLACE TABLE raw.books AS SELECT range AS n, 'BOOK_' || range AS book_id, "
                + "'Title ' || range AS title, 'History' AS genre, 1.0 AS price FROM range(300000)");
        assertPagesFollowRowIds();

        // DuckDB now owes a statement without ORDER BY no order: two row groups' rows come back either way round
        fixture.warehouse().execute(OWNER, "SET preserve_insertion_order = false");
        assertPagesFollowRowIds();
        for (int i = 0; i < 200; i++) {
            long cursor = ROW_GROUP - 10 - i % 80;
            List<Long> page = page(cursor);
            assertThat(page).as("the page after %d", cursor).isSorted().hasSize(100).startsWith(cursor + 1);
        }

        fixture.warehouse().execute(OWNER, "DELETE FROM raw.books WHERE n % 7 = 3 OR n BETWEEN 122900 AND 123500");
        assertPagesFollowRowIds();
        fixture.warehouse().execute(OWNER, "RESET preserve_insertion_order");
        assertPagesFollowRowIds();
    }

    private static void assertPagesFollowRowIds() {
        for (long cursor : new long[]{-1, ROW_GROUP - 40, ROW_GROUP + 3, 299_850}) {
            List<Long> paged = new ArrayList<>();
            String after = String.valueOf(cursor);
            for (int page = 0; page < 3 && after != null; page++) {
                JsonNode answer = fixture.http().get("/data/raw.books?page_size=100&after=" + after).json();
                answer.get("rows").forEach(row -> paged.add(row.get("n").asLong()));
                after = answer.get("next_after").isNull() ? null : answer.get("next_after").asText();
            }
            List<Long> expected = fixture.warehouse().queryList(OWNER, "SELECT n FROM raw.books WHERE rowid > " + cursor
                    + " ORDER BY rowid LIMIT 300", rs -> rs.getLong(1));
            assertThat(paged).as("three pages after %d", cursor).isEqualTo(expected);
        }
        // the first page, asked without a cursor, is the page after -1
        JsonNode first = fixture.http().get("/data/raw.books?page_size=100").json();
        assertThat(first.get("rows").get(0).get("n").asLong()).isZero();
        assertThat(first.get("rows")).hasSize(100);
        assertThat(first.get("total").asLong()).isEqualTo(fixture.warehouse().queryLong(OWNER, "SELECT count(*) FROM raw.books"));
    }

    private static List<Long> page(long after) {
        List<Long> values = new ArrayList<>();
        fixture.http().get("/data/raw.books?page_size=100&after=" + after).json().get("rows")
                .forEach(row -> values.add(row.get("n").asLong()));
        return values;
    }
}
