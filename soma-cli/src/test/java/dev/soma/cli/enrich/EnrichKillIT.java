package dev.soma.cli.enrich;

import dev.soma.enrich.standin.StandInBookServer;
import dev.soma.cli.CliRun;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code soma enrich run} in a second JVM, killed with SIGKILL mid-batch; the rerun rescues the jobs the
 * dead process held and finishes: every book in raw exactly once, every job completed, and the catalog's
 * tests pass.
 */
class EnrichKillIT {

    @Test
    void killedEnrichRunThenRerunLoadsEveryBookExactlyOnce(@TempDir Path dir) throws Exception {
        Path project = EnrichIT.copyProject(dir);
        String db = dir.resolve("soma.duckdb").toString();
        Path csv = project.resolve("data/curated_books.csv");
        assertThat(CliRun.of("generate", "--db", db, "--as-of", "2025-06-30", "--scale", "3", "--curated-books", csv.toString())
                .exitCode()).isZero();
        CliRun publish = CliRun.of("enrich", "publish", csv.toString(), "--project-dir", project.toString(), "--db", db);
        assertThat(publish.exitCode()).as(publish.err()).isZero();
        long books;
        StandInBookServer server;
        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            books = warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM soma_meta.jobs WHERE kind = 'enrich_book'");
            server = StandInBookServer.start(warehouse, Duration.ofMillis(15));
        }
        assertThat(books).isGreaterThan(250);

        try (server) {
            String[] run = {"enrich", "run", "--db", db, "--threads", "4", "--batch-size", "20",
                    "--open-library-url", server.url(), "--google-books-url", server.url(),
                    "--open-library-rate", "0", "--google-books-rate", "0"};
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new java.util.ArrayList<>(List.of(java,
                    "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                    "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "dev.soma.cli.Main"));
            command.addAll(List.of(run));
            Process victim = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("victim.log").toFile()).start();
            try {
                // two requests per book (Open Library jscmd=data, Google): wait until about half have been asked for
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (server.requests() < books && System.nanoTime() < deadline && victim.isAlive()) {
                    Thread.sleep(20);
                }
                assertThat(victim.isAlive()).as("the victim still runs when killed").isTrue();
                victim.destroyForcibly();   // SIGKILL: no shutdown hook, no release
                assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                victim.destroyForcibly();
            }

            long doneBefore;
            long held;
            try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
                SqlOwner t = SqlOwner.soma("test");
                doneBefore = warehouse.queryLong(t, "SELECT count(*) FROM soma_meta.jobs WHERE state = 'completed'");
                held = warehouse.queryLong(t, "SELECT count(*) FROM soma_meta.jobs WHERE state = 'processing'");
                assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books")).isEqualTo(doneBefore);
            }
            assertThat(doneBefore).as("killed mid-run").isBetween(1L, books - 1);
            assertThat(held).as("the victim held jobs when it died").isPositive();

            CliRun rerun = CliRun.of(run);
            assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        }

        try (Warehouse warehouse = Warehouse.open(Path.of(db))) {
            SqlOwner t = SqlOwner.soma("test");
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM soma_meta.jobs WHERE kind = 'enrich_book' AND state = 'completed'"))
                    .isEqualTo(books);
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM raw.enriched_books")).isEqualTo(books);
            assertThat(warehouse.queryLong(t, "SELECT count(DISTINCT book_key) FROM raw.enriched_books")).isEqualTo(books);
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM (SELECT book_key, position FROM raw.enriched_book_authors"
                    + " GROUP BY ALL HAVING count(*) > 1)")).isZero();
            assertThat(warehouse.queryLong(t, "SELECT count(*) FROM soma_meta.job_errors WHERE message = 'lease expired'"))
                    .as("the dead process's jobs were rescued with a reason").isPositive();
        }
        CliRun build = CliRun.of("build", "--project-dir", project.toString(), "--db", db, "-s", "path:catalog",
                "--vars", "{enriched_books: true}");
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
    }
}
