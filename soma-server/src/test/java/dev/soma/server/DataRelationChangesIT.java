package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.core.warehouse.SqlOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /data} keeps each relation's columns between requests: a relation changed under a running server
 * (a column added, dropped or retyped, the table replaced by a view and back, rows added) answers with what it
 * is now, never with what was cached.
 */
class DataRelationChangesIT {

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inMemory();

    private static final SqlOwner OWNER = SqlOwner.loader("test");

    @Test
    void answersWithTheRelationAsItIsNowAfterItChanges() {
        assertThat(columns("/data/raw.books")).containsExactly("book_id", "title", "genre", "price");
        assertThat(fixture.http().get("/data/raw.books?extra=e").status()).isEqualTo(404);

        fixture.warehouse().execute(OWNER, "ALTER TABLE raw.books ADD COLUMN extra VARCHAR DEFAULT 'e'");
        assertThat(columns("/data/raw.books")).containsExactly("book_id", "title", "genre", "price", "extra");
        assertThat(fixture.http().get("/data/raw.books").json().get("rows").get(0).get("extra").asText()).isEqualTo("e");
        assertThat(fixture.http().get("/data/raw.books?extra=e").json().get("total").asLong()).isEqualTo(25);

        fixture.warehouse().execute(OWNER, "ALTER TABLE raw.books DROP COLUMN extra");
        assertThat(fixture.http().get("/data/raw.books?extra=e").status()).isEqualTo(404);
        assertThat(columns("/data/raw.books")).containsExactly("book_id", "title", "genre", "price");

        // Same names, another type: the type shown and what search looks in follow.
        assertThat(fixture.http().get("/data/raw.books?search=15.0").json().get("total").asLong()).isZero();
        fixture.warehouse().execute(OWNER, "ALTER TABLE raw.books ALTER price TYPE VARCHAR");
        JsonNode retyped = fixture.http().get("/data/raw.books?search=15.0").json();
        assertThat(retyped.at("/columns/3/type").asText()).isEqualTo("VARCHAR");
        assertThat(retyped.get("total").asLong()).isEqualTo(1);

        fixture.warehouse().execute(OWNER, "INSERT INTO raw.books (book_id, title, genre, price) "
                + "VALUES ('BOOK_NEW', 'New', 'Fiction', '1')");
        assertThat(fixture.http().get("/data/raw.books").json().get("total").asLong()).isEqualTo(26);

        // The table becomes a view of the same columns: paged by page=, no cursor.
        fixture.warehouse().execute(OWNER, "CREATE TABLE raw.books_copy AS SELECT * FROM raw.books; DROP TABLE raw.books; "
                + "CREATE VIEW raw.books AS SELECT * FROM raw.books_copy");
        JsonNode view = fixture.http().get("/data/raw.books?page_size=5").json();
        assertThat(view.get("next_after").isNull()).isTrue();
        assertThat(view.get("rows")).hasSize(5);
        assertThat(fixture.http().get("/data/raw.books?after=3").status()).isEqualTo(400);

        // And a table again: the cursor is back.
        fixture.warehouse().execute(OWNER, "DROP VIEW raw.books; CREATE TABLE raw.books AS SELECT * FROM raw.books_copy");
        assertThat(fixture.http().get("/data/raw.books?page_size=5").json().get("next_after").asText()).isEqualTo("4");
        assertThat(fixture.http().get("/data/raw.books?after=4&page_size=5").json().get("rows").get(0).get("book_id")
                .asText()).isEqualTo(fixture.http().get("/data/raw.books?page=2&page_size=5").json().get("rows").get(0)
                .get("book_id").asText());
    }

    private static List<String> columns(String path) {
        JsonNode page = fixture.http().get(path).json();
        List<String> names = new ArrayList<>();
        page.get("columns").forEach(column -> names.add(column.get("name").asText()));
        List<String> inRow = new ArrayList<>();
        page.get("rows").get(0).fieldNames().forEachRemaining(inRow::add);
        assertThat(inRow).isEqualTo(names);
        return names;
    }
}
