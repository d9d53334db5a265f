package dev.soma.enrich;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.enrich.BookApiServer.Reply;
import dev.soma.jobs.Backoff;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.RetrySelection;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.TestPostgres;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enrichment with the job queue on a real PostgreSQL server ({@link TestPostgres}) and the books in a DuckDB
 * warehouse file: the rows are committed in DuckDB inside the store's completion transaction, before PostgreSQL
 * commits the completions.
 */
class EnrichPostgresQueueTest {

    @TempDir
    Path dir;
    BookApiServer server;
    Warehouse warehouse;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        url = TestPostgres.server().newDatabase("enrich");
        server = new BookApiServer();
        warehouse = Warehouse.open(dir.resolve("w.duckdb"));
        Files.writeString(dir.resolve("sources.yml"), EnrichmentTest.SOURCES);
        server.on("/isbn/9780140328721.json", Reply.json("""
                        {"key": "/books/OL1M", "title": "Fantastic Mr Fox", "authors": [{"key": "/authors/OL34184A"}],
                         "publishers": ["Puffin"], "publish_date": "1988", "subjects": ["Foxes", "Farmers"]}"""))
                .on("/authors/OL34184A.json", Reply.json("{\"name\": \"Dahl, Roald\"}"))
                .on("/books/v1/volumes?q=isbn:9780140328721&maxResults=10", Reply.json("""
                        {"totalItems": 1, "items": [{"id": "g1", "volumeInfo": {"title": "Fantastic Mr. Fox",
                         "authors": ["Roald Dahl"], "categories": ["Juvenile Fiction"], "language": "en"}}]}"""))
                .on("/isbn/9780141322643.json", Reply.json("{\"title\": \"The Witches\", \"subjects\": [\"Witches\"]}"))
                .on("/books/v1/volumes?q=isbn:9780141322643&maxResults=10", Reply.json("{\"totalItems\": 0}"))
                .on("/books/v1/volumes?q=intitle:Matilda+inauthor:Roald+Dahl&maxResults=10", Reply.json("""
                        {"totalItems": 1, "items": [{"id": "g2", "volumeInfo": {"title": "Matilda", "authors": ["Roald Dahl"],
                         "industryIdentifiers": [{"type": "ISBN_13", "identifier": "9780142410370"}], "categories": ["Fiction"]}}]}"""))
                .on("/search.json?title=Matilda&author=Roald+Dahl&limit=10", Reply.json("{\"numFound\": 0, \"docs\": []}"));
        Files.writeString(dir.resolve("curated_books.csv"), """
                isbn,title,author
                0-14-032872-6,Fantastic Mr Fox,"Dahl, Roald"
                ,Matilda,Roald Dahl
                9780141322643,The Witches,Roald Dahl
                9780140328722,Broken check digit,Someone
                """);
    }

    @AfterEach
    void tearDown() {
        warehouse.close();
        server.close();
    }

    Enrichment enrichment() {
        return EnrichmentTest.enrichment(warehouse, server);
    }

    JobQueue queue(Enrichment enrichment) {
        // no backoff: a job whose completion failed is due again at once, for the rerun below
        return JobQueue.builder().store(JobStores.postgres(url)).backoff(Backoff.fixed(Duration.ZERO))
                .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build();
    }

    PublishResult publish(Enrichment enrichment, JobQueue queue) {
        Ingest ingest = Ingest.builder().warehouse(warehouse).project(dir).env(n -> null).build();
        return enrichment.publish(ingest, Enrichment.CURATED_BOOKS, dir.resolve("curated_books.csv"), queue);
    }

    @Test
    void booksGoToTheWarehouseAndTheirJobsCompleteInPostgres() throws Exception {
        Enrichment enrichment = enrichment();
        try (JobQueue queue = queue(enrichment)) {
            PublishResult first = publish(enrichment, queue);
            assertThat(first.load().rowsRejected()).isEqualTo(1);
            assertThat(first.enqueued()).isEqualTo(3);
            try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(2).withBatchSize(10))) {
                assertThat(worker.runUntilDrained().completed()).isEqualTo(3);
            }
            PublishResult again = publish(enrichment, queue);
            assertThat(again.enqueued()).isZero();
            assertThat(again.existing()).isEqualTo(3);
        }
        assertThat(pg("SELECT count(*) FROM soma_meta.jobs")).isEqualTo(3);
        assertThat(pg("SELECT count(*) FROM soma_meta.jobs WHERE kind = 'enrich_book' AND state = 'completed'")).isEqualTo(3);
        assertThat(books()).containsExactly(
                "isbn:9780140328721|Fantastic Mr Fox|open_library,google_books",
                "isbn:9780141322643|The Witches|open_library",
                "title:matilda|roald dahl|Matilda|google_books");
        assertThat(rows("SELECT book_key || '|' || position || '|' || author_name || '|' || source FROM raw.enriched_book_authors"))
                .containsExactly("isbn:9780140328721|1|Roald Dahl|open_library", "isbn:9780141322643|1|Roald Dahl|curated",
                        "title:matilda|roald dahl|1|Roald Dahl|google_books");
        assertThat(rows("SELECT book_key || '|' || subject || '|' || source FROM raw.enriched_book_subjects"))
                .containsExactly("isbn:9780140328721|Farmers|open_library", "isbn:9780140328721|Foxes|open_library",
                        "isbn:9780140328721|Juvenile Fiction|google_books", "isbn:9780141322643|Witches|open_library",
                        "title:matilda|roald dahl|Fiction|google_books");
        assertThat(rows("SELECT DISTINCT CAST(job_id AS VARCHAR) FROM raw.enriched_books"))
                .containsExactlyInAnyOrderElementsOf(rowsPg("SELECT id FROM soma_meta.jobs"));
    }

    /**
     * The process "dies" between the two commits: a deferred constraint trigger makes PostgreSQL refuse every
     * commit that completes a job, after the books' DuckDB transaction has committed. The books are there, the jobs
     * are not completed; the rerun replaces the same rows, so every book is there once.
     */
    @Test
    void aCompletionThatNeverCommitsAfterTheBooksDidRunsAgainWithoutDuplicates() throws Exception {
        Enrichment enrichment = enrichment();
        try (JobQueue queue = queue(enrichment)) {
            assertThat(publish(enrichment, queue).enqueued()).isEqualTo(3);
            pgExecute("""
                    CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'completion refused by the test'; END $$;
                    CREATE CONSTRAINT TRIGGER refuse_completion AFTER UPDATE ON soma_meta.jobs
                      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.state = 'completed')
                      EXECUTE FUNCTION refuse_completion();
                    """);
            try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(2).withBatchSize(10))) {
                // every attempt writes the books, then PostgreSQL refuses the completion: each job runs its five
                // attempts (no backoff) and is dead-lettered, its books written five times over
                Worker.Counts counts = worker.runUntilDrained();
                assertThat(counts.completed()).isZero();
                assertThat(counts.failed()).isEqualTo(3);
            }
            assertThat(pg("SELECT count(*) FROM soma_meta.jobs WHERE state = 'completed'")).isZero();
            assertThat(pg("SELECT count(*) FROM soma_meta.job_errors WHERE message LIKE '%completion refused by the test%'"))
                    .isEqualTo(15);
            assertThat(books()).as("the DuckDB commit came first, and each rerun replaced the rows").containsExactly(
                    "isbn:9780140328721|Fantastic Mr Fox|open_library,google_books",
                    "isbn:9780141322643|The Witches|open_library",
                    "title:matilda|roald dahl|Matilda|google_books");

            pgExecute("DROP TRIGGER refuse_completion ON soma_meta.jobs");
            assertThat(queue.retryFailed(RetrySelection.kind(EnrichBookHandler.KIND))).isEqualTo(3);
            try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(2).withBatchSize(10))) {
                assertThat(worker.runUntilDrained().completed()).isEqualTo(3);
            }
        }
        assertThat(pg("SELECT count(*) FROM soma_meta.jobs WHERE state = 'completed'")).isEqualTo(3);
        assertThat(books()).containsExactly(
                "isbn:9780140328721|Fantastic Mr Fox|open_library,google_books",
                "isbn:9780141322643|The Witches|open_library",
                "title:matilda|roald dahl|Matilda|google_books");
        assertThat(count("raw.enriched_book_authors")).isEqualTo(3);
        assertThat(count("raw.enriched_book_subjects")).isEqualTo(5);
    }

    private List<String> books() {
        return rows("SELECT book_key || '|' || title || '|' || found_in FROM raw.enriched_books");
    }

    private List<String> rows(String sql) {
        return warehouse.queryList(SqlOwner.soma("test"), sql + " ORDER BY 1", rs -> rs.getString(1));
    }

    private long count(String table) {
        return warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM " + table);
    }

    private long pg(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> rowsPg(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private void pgExecute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
