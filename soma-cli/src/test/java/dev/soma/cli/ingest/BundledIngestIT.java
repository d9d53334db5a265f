package dev.soma.cli.ingest;

import dev.soma.cli.CliRun;
import dev.soma.cli.TestProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled project's ingestion path as a user walks it: generate (with curated_books.csv), ingest,
 * see the rejects, build the staging model over the ingested rows.
 */
class BundledIngestIT {

    @Test
    void generateIngestAndBuildTheCuratedBooks(@TempDir Path dir) throws IOException {
        Path project = TestProject.copyBundled(dir);
        String db = dir.resolve("soma.duckdb").toString();
        CliRun generate = CliRun.of("generate", "--db", db, "--as-of", "2025-06-30",
                "--curated-books", project.resolve("data/curated_books.csv").toString());
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).contains("curated_books.csv: 100 rows, one in 16 broken on purpose");

        CliRun ingest = CliRun.of("ingest", "--project-dir", project.toString(), "--db", db);
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        assertThat(ingest.out()).containsPattern("publisher\\.curated_books\\s+succeeded\\s+100\\s+94\\s+0\\s+5\\s+1");

        CliRun rejects = CliRun.of("rejects", "curated_books", "--project-dir", project.toString(), "--db", db);
        assertThat(rejects.out()).contains("5 rejected of 100 read").contains("is not an ISBN-10 or ISBN-13")
                .contains("title: missing").contains("'n/a' is not a DECIMAL(10,2)").contains("'Scroll' is not one of")
                .contains("too many columns");

        CliRun build = CliRun.of("build", "--project-dir", project.toString(), "--db", db, "-s", "stg_curated_books",
                "--vars", "{ingested_books: true}");
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
        // isbn unique, title not_null: the ISBN is optional (a book without one is keyed by title and author)
        assertThat(build.out()).contains("1 success, 2 pass");
    }
}
