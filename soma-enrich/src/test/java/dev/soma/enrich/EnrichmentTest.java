package dev.soma.enrich;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.enrich.BookApiServer.Reply;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Publish → jobs → extractors against a local server → raw tables, on a real DuckDB file. */
class EnrichmentTest {

    // no key: a key column must be present in every row, and books without an ISBN are welcome here
    static final String SOURCES = """
            sources:
              - name: publisher
                schema: raw
                tables:
                  - name: curated_books
                    ingest:
                      csv: {path: curated_books.csv}
                      columns:
                        - {name: isbn, isbn: true}
                        - {name: title, required: true}
                        - {name: author, required: true}
                      mode: append
            """;

    @TempDir
    Path dir;
    BookApiServer server;
    Warehouse warehouse;

    @BeforeEach
    void setUp() throws Exception {
        server = new BookApiServer();
        warehouse = Warehouse.open(dir.resolve("w.duckdb"));
        Files.writeString(dir.resolve("sources.yml"), SOURCES);
        // Fantastic Mr Fox: both services, with conflicts
        server.on("/isbn/9780140328721.json", Reply.json("""
                        {"key": "/books/OL1M", "title": "Fantastic Mr Fox", "authors": [{"key": "/authors/OL34184A"}],
                         "publishers": ["Puffin"], "publish_date": "1988", "number_of_pages": 96,
                         "languages": [{"key": "/languages/eng"}], "subjects": ["Foxes", "Farmers"]}"""))
                .on("/authors/OL34184A.json", Reply.json("{\"name\": \"Dahl, Roald\"}"))
                .on("/books/v1/volumes?q=isbn:9780140328721&maxResults=10", Reply.json("""
                        {"totalItems": 1, "items": [{"id": "g1", "volumeInfo": {"title": "Fantastic Mr. Fox",
                         "authors": ["Roald Dahl"], "publishedDate": "1988-10-01", "description": "<p>A fox.</p>",
                         "industryIdentifiers": [{"type": "ISBN_13", "identifier": "9780140328721"}],
                         "pageCount": 90, "categories": ["Juvenile Fiction"], "language": "en"}}]}"""))
                // Matilda, no ISBN: found by search in Google only
                .on("/books/v1/volumes?q=intitle:Matilda+inauthor:Roald+Dahl&maxResults=10", Reply.json("""
                        {"totalItems": 1, "items": [{"id": "g2", "volumeInfo": {"title": "Matilda", "authors": ["Roald Dahl"],
                         "industryIdentifiers": [{"type": "ISBN_13", "identifier": "9780142410370"}], "categories": ["Fiction"]}}]}"""))
                .on("/search.json?title=Matilda&author=Roald+Dahl&limit=10", Reply.json("{\"numFound\": 0, \"docs\": []}"));
    }

    @AfterEach
    void tearDown() {
        warehouse.close();
        server.close();
    }

    Enrichment enrichment() {
        return enrichment(warehouse, server);
    }

    /** Enrichment writing to {@code warehouse}, both services at {@code server}: no rate limit, short timeouts. */
    static Enrichment enrichment(Warehouse warehouse, BookApiServer server) {
        ExtractorConfig local = ExtractorConfig.openLibrary().withBaseUrl(server.url()).withRequestsPerMinute(0)
                .withTimeout(Duration.ofSeconds(2)).withRetries(1, Duration.ofMillis(10));
        return Enrichment.builder().warehouse(warehouse).openLibrary(local).openLibraryApi(OpenLibraryExtractor.Api.EDITIONS)
                .googleBooks(local).env(n -> null).build();
    }

    Path csv(String... lines) throws Exception {
        Path file = dir.resolve("curated_books.csv");
        Files.writeString(file, "isbn,title,author\n" + String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void aCsvBecomesOneJobPerValidBookAndEnrichedRawRows() throws Exception {
        Enrichment enrichment = enrichment();
        Ingest ingest = Ingest.builder().warehouse(warehouse).project(dir).env(n -> null).build();
        try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
            Path file = csv("0-14-032872-6,Fantastic Mr Fox,\"Dahl, Roald\"", ",Matilda,Roald Dahl",
                    "9780140328722,Broken check digit,Someone", "9780000000002,,No title");
            PublishResult first = enrichment.publish(ingest, Enrichment.CURATED_BOOKS, file, queue);
            assertThat(first.load().rowsRejected()).isEqualTo(2);
            assertThat(first.books()).isEqualTo(2);
            assertThat(first.enqueued()).isEqualTo(2);

            try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(2).withBatchSize(10))) {
                assertThat(worker.runUntilDrained().completed()).isEqualTo(2);
            }
            // publishing again, with one new book, adds only that book
            server.on("/isbn/9780141322643.json", Reply.json("{\"title\": \"The Witches\"}"));
            Files.writeString(file, "isbn,title,author\n0-14-032872-6,Fantastic Mr Fox,\"Dahl, Roald\"\n"
                    + ",Matilda,Roald Dahl\n9780141322643,The Witches,Roald Dahl\n");
            PublishResult second = enrichment.publish(ingest, Enrichment.CURATED_BOOKS, file, queue);
            assertThat(second.enqueued()).isEqualTo(1);
            assertThat(second.existing()).isEqualTo(2);
            try (Worker worker = queue.worker(WorkerConfig.defaults())) {
                worker.runUntilDrained();
            }
            assertThat(queue.stats().count(JobState.COMPLETED)).isEqualTo(3);
        }

        List<String> books = warehouse.queryList(SqlOwner.soma("test"),
                "SELECT book_key || '|' || title || '|' || coalesce(isbn13, '-') || '|' || coalesce(cast(published_date AS VARCHAR), '-')"
                        + " || '|' || coalesce(published_precision, '-') || '|' || coalesce(cast(page_count AS VARCHAR), '-')"
                        + " || '|' || coalesce(description, '-') || '|' || title_source || '|' || coalesce(published_source, '-')"
                        + " || '|' || found_in FROM raw.enriched_books ORDER BY 1", rs -> rs.getString(1));
        assertThat(books).containsExactly(
                "isbn:9780140328721|Fantastic Mr Fox|9780140328721|1988-10-01|day|96|A fox.|open_library|google_books|open_library,google_books",
                "isbn:9780141322643|The Witches|9780141322643|-|-|-|-|open_library|-|open_library",
                "title:matilda|roald dahl|Matilda|9780142410370|-|-|-|-|google_books|-|google_books");
        assertThat(warehouse.queryList(SqlOwner.soma("test"),
                "SELECT book_key || ':' || author_name || ':' || source FROM raw.enriched_book_authors ORDER BY 1", rs -> rs.getString(1)))
                .containsExactly("isbn:9780140328721:Roald Dahl:open_library", "isbn:9780141322643:Roald Dahl:curated",
                        "title:matilda|roald dahl:Roald Dahl:google_books");
        assertThat(warehouse.queryList(SqlOwner.soma("test"),
                "SELECT subject || ':' || source FROM raw.enriched_book_subjects WHERE book_key = 'isbn:9780140328721' ORDER BY position",
                rs -> rs.getString(1)))
                .containsExactly("Foxes:open_library", "Farmers:open_library", "Juvenile Fiction:google_books");
    }

    /** The bundled project's publisher.curated_books: keyed on isbn, falling back to title and author. */
    @Test
    void theBundledCuratedBooksSourceTakesBooksWithoutAnIsbnOnceAndRepublishingAddsOnlyNewBooks() throws Exception {
        Enrichment enrichment = enrichment();
        Ingest ingest = Ingest.builder().warehouse(warehouse).project(Path.of("..", "models")).env(n -> null).build();
        String header = "isbn,title,author,publication_year,price,format,language\n";
        Path file = dir.resolve("bundled.csv");
        Files.writeString(file, header + "9780140328721,Fantastic Mr Fox,Roald Dahl,1970,7.99,Paperback,English\n"
                + ",Matilda,Roald Dahl,1988,,,\n"
                + ",MATILDA!,\"Roald  Dahl\",1988,,,\n"      // the same book: case, punctuation and spaces aside
                + ",The BFG,Roald Dahl,,,,\n"
                + ",,Roald Dahl,,,,\n");                     // neither ISBN nor title: rejected
        try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
            PublishResult first = enrichment.publish(ingest, Enrichment.CURATED_BOOKS, file, queue);
            assertThat(first.load().rowsRejected()).isEqualTo(1);
            assertThat(first.load().rowsDuplicate()).isEqualTo(1);
            assertThat(first.books()).isEqualTo(3);
            assertThat(first.enqueued()).isEqualTo(3);
            assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.curated_books")).isEqualTo(3);
            assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.curated_books WHERE isbn IS NULL"))
                    .isEqualTo(2);
            assertThat(warehouse.queryList(SqlOwner.soma("t"), "SELECT array_to_string(reasons, '; ') FROM soma_meta.ingest_rejects", rs -> rs.getString(1)))
                    .singleElement().asString().contains("title: missing");

            Files.writeString(file, header + "9780140328721,Fantastic Mr Fox,Roald Dahl,1970,7.99,Paperback,English\n"
                    + ",matilda,Roald Dahl,1988,,,\n"
                    + ",The BFG,Roald Dahl,,,,\n"
                    + ",Danny the Champion of the World,Roald Dahl,1975,,,\n");
            PublishResult second = enrichment.publish(ingest, Enrichment.CURATED_BOOKS, file, queue);
            assertThat(second.enqueued()).isEqualTo(1);
            assertThat(second.existing()).isEqualTo(3);
            assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.curated_books")).isEqualTo(4);
            assertThat(queue.stats().total()).isEqualTo(4);
        }
    }

    /** The Appender writes inside the completing transaction: a batch that fails half way leaves nothing. */
    @Test
    void aBatchWriteThatFailsHalfWayLeavesNoRowsBehind() {
        EnrichTables.create(warehouse);
        BookQuery fox = BookQuery.of("9780140328721", "Fantastic Mr Fox", "Roald Dahl");
        BookQuery matilda = BookQuery.of(null, "Matilda", "Roald Dahl");
        List<EnrichTables.Row> rows = List.of(new EnrichTables.Row(BookMerge.merge(fox, List.of()), fox, 1),
                new EnrichTables.Row(BookMerge.merge(matilda, List.of()), matilda, 2));
        try (var session = warehouse.openSession()) {
            assertThatThrownBy(() -> session.inTransaction(SqlOwner.soma("t"), tx -> {
                EnrichTables.write(tx, rows, java.time.Instant.now());
                assertThat(tx.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_book_authors")).isEqualTo(2);
                throw new IllegalStateException("the process dies here");
            })).hasMessageContaining("the process dies here");
            session.inTransaction(SqlOwner.soma("t"), tx -> {
                EnrichTables.write(tx, rows, java.time.Instant.now());
                return null;
            });
        }
        assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_books")).isEqualTo(2);
        assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_book_authors")).isEqualTo(2);
    }

    @Test
    void aRerunOfTheSameBookReplacesItsRowsInsteadOfDuplicating() throws Exception {
        Enrichment enrichment = enrichment();
        try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
            BookQuery q = BookQuery.of("9780140328721", "Fantastic Mr Fox", "Roald Dahl");
            // the same book twice, as an at-least-once redelivery would run it (distinct unique keys on purpose)
            queue.enqueue(NewJob.of(EnrichBookHandler.KIND, EnrichBookHandler.payload(q)));
            queue.enqueue(NewJob.of(EnrichBookHandler.KIND, EnrichBookHandler.payload(q)));
            try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(1))) {
                assertThat(worker.runUntilDrained().completed()).isEqualTo(2);
            }
        }
        assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_books")).isEqualTo(1);
        assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_book_authors")).isEqualTo(1);
        assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_book_subjects")).isEqualTo(3);
    }

    @Test
    void aServiceThatKeepsFailingFailsTheJobWithTheReasonAndRetryFailedRetriesIt() throws Exception {
        server.on("/isbn/9780140328721.json", Reply.status(503, "down"));
        Enrichment enrichment = enrichment();
        try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                .backoff(dev.soma.jobs.Backoff.fixed(Duration.ZERO))
                .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
            BookQuery q = BookQuery.of("9780140328721", "Fantastic Mr Fox", "Roald Dahl");
            long id = queue.enqueue(NewJob.of(EnrichBookHandler.KIND, EnrichBookHandler.payload(q)).withMaxAttempts(2)
                    .withUniqueKey(q.key())).id();
            try (Worker worker = queue.worker(WorkerConfig.defaults().withPollInterval(Duration.ofMillis(20)))) {
                worker.runUntilDrained();
            }
            assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
            assertThat(queue.find(id).orElseThrow().errors()).last().satisfies(e ->
                    assertThat(e.message()).contains("open_library: GET").contains("HTTP 503"));
            assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_books")).isZero();

            server.on("/isbn/9780140328721.json", Reply.json("{\"title\": \"Fantastic Mr Fox\"}"));
            assertThat(queue.retryFailed(dev.soma.jobs.RetrySelection.kind(EnrichBookHandler.KIND))).isEqualTo(1);
            try (Worker worker = queue.worker(WorkerConfig.defaults())) {
                worker.runUntilDrained();
            }
            assertThat(queue.find(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        }
        assertThat(warehouse.queryLong(SqlOwner.soma("t"), "SELECT count(*) FROM raw.enriched_books")).isEqualTo(1);
    }
}
