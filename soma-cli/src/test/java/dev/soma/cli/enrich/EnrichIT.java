package dev.soma.cli.enrich;

import dev.soma.cli.CliRun;
import dev.soma.cli.TestProject;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.enrich.BookQuery;
import dev.soma.enrich.EnrichBookHandler;
import dev.soma.enrich.standin.StandInBookServer;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.NewJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path through the CLI: generate a curated CSV, publish it, enrich against the local
 * stand-in server (a real HTTP server in both services' shapes), then build and test the catalog models.
 */
class EnrichIT {

    static Path copyProject(Path dir) throws IOException {
        return TestProject.copyBundled(dir);
    }

    /** Generates the warehouse {@code db} with a curated CSV at {@code csv}, then serves its books from the stand-in. */
    static StandInBookServer generateAndServe(String db, Path csv) {
        CliRun generate = CliRun.of("generate", "--db", db, "--as-of", "2025-06-30", "--curated-books", csv.toString());
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            return StandInBookServer.start(warehouse);
        }
    }

    @Test
    void curatedCsvToATestedStarSchema(@TempDir Path dir) throws Exception {
        Path project = copyProject(dir);
        String db = dir.resolve("soma.duckdb").toString();
        Path csv = project.resolve("data/curated_books.csv");
        try (StandInBookServer server = generateAndServe(db, csv)) {
            CliRun publish = CliRun.of("enrich", "publish", csv.toString(), "--project-dir", project.toString(), "--db", db);
            assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
            assertThat(publish.out()).contains("100 read, 94 loaded, 5 rejected, 1 duplicate")
                    .contains("94 books: 94 new enrich_book jobs, 0 already queued or enriched");

            String[] services = {"--open-library-url", server.url(), "--google-books-url", server.url(),
                    "--open-library-rate", "0", "--google-books-rate", "0"};
            CliRun run = CliRun.of(concat(new String[]{"enrich", "run", "--db", db, "--threads", "4", "--batch-size", "10"}, services));
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("94 enriched, 0 failed, 0 to retry");

            CliRun again = CliRun.of("enrich", "publish", csv.toString(), "--project-dir", project.toString(), "--db", db);
            assertThat(again.out()).contains("94 books: 0 new enrich_book jobs, 94 already queued or enriched");

            CliRun status = CliRun.of("enrich", "status", "--db", db);
            assertThat(status.out()).contains("completed 94").contains("failed 0").contains("raw.enriched_books 94 rows");
        }

        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            SqlOwner t = SqlOwner.soma("test");
            assertThat(warehouse.queryLong(t, "SELECT count(DISTINCT book_key) FROM raw.enriched_books")).isEqualTo(94);
            // every book found somewhere; both services' conflicts resolved as declared
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books WHERE found_in = ''")).isZero();
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books WHERE found_in = 'open_library,google_books'"
                    + " AND title_source = 'open_library' AND language_source = 'google_books'")).isPositive();
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_book_authors WHERE author_name LIKE '%,%'")).isZero();
        }

        CliRun build = CliRun.of("build", "--project-dir", project.toString(), "--db", db, "-s", "path:catalog",
                "--vars", "{enriched_books: true}");
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
        assertThat(build.out()).contains("7 success").doesNotContain("fail");
    }

    @Test
    void demoEnrichRunsThePathAgainstTheLabelledLocalStandIn(@TempDir Path dir) throws Exception {
        Path project = copyProject(dir);
        String db = dir.resolve("demo.duckdb").toString();
        assertThat(demo(db, project).out()).contains("LOCAL STAND-IN for Open Library and Google Books")
                .contains("not the real services").contains("enriched 94 of the 94 books published")
                .doesNotContain("cancelled");
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            SqlOwner t = SqlOwner.soma("test");
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM catalog.fact_books")).isEqualTo(94);
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM catalog.dim_authors")).isPositive();
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM catalog.dim_publishers")).isPositive();
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM catalog.dim_languages")).isPositive();
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM catalog.bridge_book_genres")).isPositive();
        }
        // an interrupted earlier run left enrich_book jobs pending: one for a book the demo publishes again,
        // two for books it does not list
        try (Warehouse warehouse = Warehouse.open(Path.of(db));
             JobStore store = JobStores.duckdb(warehouse)) {
            String isbn = warehouse.queryList(SqlOwner.soma("test"), "SELECT isbn FROM raw.curated_books WHERE isbn IS NOT NULL"
                    + " ORDER BY isbn LIMIT 1", rs -> rs.getString(1)).get(0);
            List<NewJob> stale = new java.util.ArrayList<>();
            for (BookQuery q : List.of(BookQuery.of(isbn, null, null), BookQuery.of(null, "A Stale Book", "Nobody"),
                    BookQuery.of(null, "Another Stale Book", "Nobody"))) {
                stale.add(NewJob.of(EnrichBookHandler.KIND, EnrichBookHandler.payload(q)).withUniqueKey(q.key()));
            }
            store.prune(java.time.Instant.now().plusSeconds(1));   // the first demo's finished jobs: as if it never finished
            assertThat(store.enqueue(stale, java.time.Instant.now())).allSatisfy(r -> assertThat(r.created()).isTrue());
        }
        // a second demo replaces the enrichment instead of adding to it, and works only its own jobs
        assertThat(demo(db, project).out()).contains("cancelled 3 enrich_book job(s) an earlier, interrupted run left pending")
                .contains("published: 94 valid books").contains(", 94 enrich_book jobs")
                .contains("enriched 94 of the 94 books published");
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            SqlOwner t = SqlOwner.soma("test");
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books")).isEqualTo(94);
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books WHERE curated_title LIKE '%Stale%'")).isZero();
        }
    }

    /** {@code soma demo --enrich} at scale 1 on {@code db}, which must succeed. */
    private static CliRun demo(String db, Path project) {
        CliRun demo = CliRun.of("demo", "--enrich", "--scale", "1", "--db", db, "--project-dir", project.toString());
        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        return demo;
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
