package dev.soma.cli.enrich;

import dev.soma.enrich.standin.StandInBookServer;
import dev.soma.cli.CliRun;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code soma enrich publish|run|status --queue-url}: the queue on a real PostgreSQL server ({@link TestPostgres}),
 * the books in the {@code --db} warehouse, the services the local stand-in.
 */
class EnrichPostgresIT {

    @Test
    void publishRunAndStatusWithTheQueueOnPostgres(@TempDir Path dir) throws Exception {
        String url = TestPostgres.server().newDatabase("enrich_cli");
        Path project = EnrichIT.copyProject(dir);
        String db = dir.resolve("soma.duckdb").toString();
        Path csv = project.resolve("data/curated_books.csv");
        try (StandInBookServer server = EnrichIT.generateAndServe(db, csv)) {
            CliRun publish = CliRun.of("enrich", "publish", csv.toString(), "--project-dir", project.toString(), "--db", db,
                    "--queue-url", url);
            assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
            assertThat(publish.out()).contains("94 books: 94 new enrich_book jobs, 0 already queued or enriched");

            CliRun run = CliRun.of("enrich", "run", "--db", db, "--queue-url", url, "--threads", "4", "--batch-size", "10",
                    "--open-library-url", server.url(), "--google-books-url", server.url(),
                    "--open-library-rate", "0", "--google-books-rate", "0");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("enriching 94 books").contains("94 enriched, 0 failed, 0 to retry");

            CliRun again = CliRun.of("enrich", "publish", csv.toString(), "--project-dir", project.toString(), "--db", db,
                    "--queue-url", url);
            assertThat(again.out()).contains("94 books: 0 new enrich_book jobs, 94 already queued or enriched");

            CliRun status = CliRun.of("enrich", "status", "--db", db, "--queue-url", url);
            assertThat(status.exitCode()).isZero();
            assertThat(status.out()).contains("enrich_book jobs: pending 0 processing 0 completed 94 failed 0 cancelled 0")
                    .contains("raw.enriched_books 94 rows");
        }

        assertThat(pg(url, "SELECT count(*) FROM soma_meta.jobs WHERE kind = 'enrich_book' AND state = 'completed'")).isEqualTo(94);
        assertThat(pg(url, "SELECT count(*) FROM soma_meta.jobs")).isEqualTo(94);
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            SqlOwner t = SqlOwner.soma("test");
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books")).isEqualTo(94);
            assertThat(warehouse.queryLong(t, "SELECT count(DISTINCT book_key) FROM raw.enriched_books")).isEqualTo(94);
            assertThat(warehouse.relationExists("soma_meta", "jobs")).as("the queue is in PostgreSQL, not in the warehouse").isFalse();
        }
    }

    @Test
    void aWorkerOnAPostgresQueueWithoutAWarehouseSaysSoAndItsEnrichJobsNameTheFix(@TempDir Path dir) throws Exception {
        String url = TestPostgres.server().newDatabase("enrich_worker");
        CliRun enqueue = CliRun.of("jobs", "enqueue", "enrich_book", "{\"key\": \"title:x|y\", \"title\": \"X\", \"author\": \"Y\"}",
                "--queue-url", url, "--max-attempts", "1");
        assertThat(enqueue.exitCode()).as(enqueue.err()).isZero();

        CliRun worker = CliRun.of("worker", "--queue-url", url, "--poll", "50ms");
        assertThat(worker.out()).contains("no warehouse: enrich_book jobs will fail; pass --db PATH, the DuckDB file the books go to")
                .contains("0 completed, 1 failed");
        assertThat(text(url, "SELECT message FROM soma_meta.job_errors")).isEqualTo("enrich_book writes its books to a DuckDB warehouse and this worker has none; run the"
                + " worker with --db PATH beside --queue-url, then: soma jobs retry-failed --kind enrich_book");
    }

    private static long pg(String url, String sql) throws Exception {
        return Long.parseLong(text(url, sql));
    }

    /** The first column of the first row of {@code sql} on the PostgreSQL queue's database. */
    private static String text(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
