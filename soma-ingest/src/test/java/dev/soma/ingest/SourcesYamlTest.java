package dev.soma.ingest;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.DeclaredAt;
import dev.soma.ingest.spec.HttpSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ingest: block as written in sources.yml, and the messages a mistake in it gets. */
class SourcesYamlTest {

    @TempDir
    Path dir;
    Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = Warehouse.inMemory();
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private Ingest project(String sources) throws IOException {
        Files.writeString(dir.resolve("soma_project.yml"), "name: t\n");
        Files.writeString(dir.resolve("sources.yml"), sources);
        return Ingest.builder().warehouse(warehouse).project(dir).build();
    }

    private static final String HEAD = """
            sources:
              - name: publisher
                schema: raw
                tables:
                  - name: plain
                    description: no ingest block, not ingestible
                  - name: curated_books
            """;

    @Test
    void everyKeyIsRead() throws IOException {
        Ingest ingest = project(HEAD + """
                        ingest:
                          csv: {path: data/books.csv, delimiter: ";", header: true, encoding: latin-1}
                          columns:
                            - {name: isbn, isbn: true}
                            - {name: title, required: true, pattern: '.+'}
                            - {name: price, type: 'decimal(10,2)', min: 0, max: 500}
                            - {name: format, accepted_values: [Paperback, Hardcover]}
                          key: isbn
                          mode: merge
                      - name: api_books
                        identifier: books_from_api
                        ingest:
                          http:
                            url: '${env("API_HOST")}/v1/books'
                            headers: {Accept-Language: en}
                            auth: {type: header, name: X-Api-Key, env: API_KEY}
                            records: data.items
                            pagination: {style: page, size: 50}
                            timeout: 10s
                            retries: 5
                            backoff: 250ms
                            rate_limit: {requests: 10, per: second}
                          columns: [id, {name: updated, type: timestamp}]
                          key: [id]
                          cursor: {field: updated, initial: '2024-01-01', param: since}
                """);
        assertThat(ingest.sources()).extracting(SourceSpec::name).containsExactly("publisher.api_books", "publisher.curated_books");
        SourceSpec books = ingest.source("curated_books");
        assertThat(books.schema()).isEqualTo("raw");
        assertThat(books.mode()).isEqualTo(WriteMode.MERGE);
        assertThat(books.key()).containsExactly("isbn");
        assertThat(books.kind()).isEqualTo(new CsvSpec("data/books.csv", ";", true, "latin-1", null, null));
        assertThat(books.column("price").orElseThrow().max()).isEqualTo(new BigDecimal("500"));
        assertThat(books.column("price").orElseThrow().type()).isEqualTo("DECIMAL(10,2)");
        assertThat(books.location()).isEqualTo(new DeclaredAt("sources.yml", 8, 9));
        SourceSpec api = ingest.source("publisher.api_books");
        assertThat(api.table()).isEqualTo("books_from_api");
        HttpSpec http = (HttpSpec) api.kind();
        assertThat(http.pagination().pageParam()).isEqualTo("page");
        assertThat(http.pagination().sizeParam()).isEqualTo("size");
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.rateLimit()).isEqualTo(10);
        assertThat(http.auth().env()).isEqualTo("API_KEY");
        assertThat(api.cursor().param()).isEqualTo("since");
    }

    @Test
    void anUnknownKeyNamesFileLineAndTheClosestKey() throws IOException {
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          csv: {path: x.csv}
                          colums: [a]
                """)).isInstanceOfSatisfying(IngestException.class, e -> {
            assertThat(e.location()).isEqualTo(new DeclaredAt("sources.yml", 10, 11));
            assertThat(e.source()).isEqualTo("publisher.curated_books");
            assertThat(e.getMessage()).isEqualTo("sources.yml:10:11: source publisher.curated_books: unknown key 'colums' "
                    + "in ingest (did you mean 'columns'?); valid keys: csv, http, columns, key, key_fallback, cursor, mode");
        });
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          csv: {path: x.csv, delimter: ";"}
                          columns: [a]
                """)).hasMessageContaining("sources.yml:9:30").hasMessageContaining("did you mean 'delimiter'?");
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          csv: {path: x.csv}
                          columns: [{name: a, requird: true}]
                """)).hasMessageContaining("unknown key 'requird' in a column (did you mean 'required'?)");
    }

    @Test
    void contradictionsAndMissingPieces() throws IOException {
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          csv: x.csv
                          columns: [a]
                          mode: merge
                """)).hasMessageContaining("sources.yml:11:17").hasMessageContaining("mode merge needs a key");
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          columns: [a]
                """)).hasMessageContaining("ingest needs csv: (a file or glob) or http: (an API)");
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          csv: x.csv
                          columns: [a]
                          key: [b]
                """)).hasMessageContaining("key column 'b' is not a declared column");
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          http: {url: 'http://x', pagination: {style: pages}}
                          columns: [a]
                """)).hasMessageContaining("unknown pagination style 'pages' (did you mean 'page'?)");
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          http: {url: 'http://x', headers: {Authorization: 'Bearer abc'}}
                          columns: [a]
                """)).hasMessageContaining("use auth: {type: bearer, env: YOUR_TOKEN_VARIABLE}");
        assertThatThrownBy(() -> project(HEAD + """
                        ingest:
                          csv: x.csv
                          columns: [{name: a, type: 'not a type'}]
                """).load("curated_books")).hasMessageContaining("column a: 'NOT A TYPE' is not a DuckDB type");
    }

    @Test
    void anUnknownSourceSuggestsTheClosest() throws IOException {
        Ingest ingest = project(HEAD + """
                        ingest: {csv: x.csv, columns: [a]}
                """);
        assertThatThrownBy(() -> ingest.load("curated_book"))
                .hasMessage("no source 'curated_book' has an ingest: block (did you mean 'publisher.curated_books'?); "
                        + "ingestible sources: publisher.curated_books");
    }
}
