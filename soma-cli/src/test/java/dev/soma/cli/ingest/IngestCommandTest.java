package dev.soma.cli.ingest;

import dev.soma.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** soma ingest / loads / rejects on a small project with a CSV source. */
class IngestCommandTest {

    @TempDir
    Path dir;

    private Path project(String ingest) throws IOException {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("soma_project.yml"), "name: t\nversion: 1.0.0\n");
        Files.writeString(project.resolve("sources.yml"), """
                sources:
                  - name: publisher
                    schema: raw
                    tables:
                      - name: curated_books
                """ + ingest);
        Files.writeString(project.resolve("data/books.csv"), """
                isbn,title,author
                978-0-306-40615-7,Signals,Ada
                0306406152,Signals again,Ada
                9780306406158,Bad digit,Bob
                9780804429573,,Cy
                """);
        return project;
    }

    private static final String INGEST = """
                    ingest:
                      csv: data/books.csv
                      columns:
                        - {name: isbn, isbn: true}
                        - {name: title, required: true}
                        - author
                      key: isbn
            """;

    private CliRun soma(Path project, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--project-dir";
        all[args.length + 1] = project.toString();
        all[args.length + 2] = "--db";
        all[args.length + 3] = dir.resolve("soma.duckdb").toString();
        return CliRun.of(all);
    }

    @Test
    void ingestThenLoadsThenRejects() throws IOException {
        Path project = project(INGEST);
        CliRun run = soma(project, "ingest");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Loading publisher.curated_books (csv) into raw.curated_books...")
                .containsPattern("publisher\\.curated_books\\s+succeeded\\s+4\\s+1\\s+0\\s+2\\s+1")
                .contains("publisher.curated_books: 2 rejected; see soma rejects publisher.curated_books");

        CliRun rejects = soma(project, "rejects", "curated_books");
        assertThat(rejects.exitCode()).isZero();
        assertThat(rejects.out()).contains("2 rejected of 4 read")
                .contains("record 3 of ").contains("- isbn: '9780306406158' is not an ISBN-10 or ISBN-13 with a valid check digit")
                .contains("record 4 of ").contains("- title: missing, but it is required");

        // the file as loaded before is not read again (soma_meta.ingest_files), so its rejects are not recorded twice
        CliRun again = soma(project, "ingest", "curated_books");
        assertThat(again.out()).containsPattern("succeeded\\s+0\\s+0\\s+0\\s+0\\s+0")
                .contains("publisher.curated_books: 1 file unchanged since an earlier load, not read again");
        CliRun rejectsAgain = soma(project, "rejects", "curated_books");
        assertThat(rejectsAgain.out()).as("the load that read the file still shows its rejects").contains("2 rejected of 4 read");

        CliRun loads = soma(project, "loads");
        assertThat(loads.exitCode()).isZero();
        assertThat(loads.out().lines().filter(l -> l.contains("publisher.curated_books")).count()).isEqualTo(2);
    }

    @Test
    void aReplaceLoadRebuildsAnIncrementalModelOverItInFull() throws IOException {
        Path project = project("""
                        ingest:
                          csv: data/snapshot.csv
                          columns: [{name: id, type: integer}, name]
                          key: id
                          mode: replace
                """);
        Files.writeString(project.resolve("latest.sql"), """
                <@config materialized="incremental" unique_key="id"/>
                select id, name from ${source("publisher", "curated_books")}
                <#if is_incremental()>where id > (select max(id) from ${this})</#if>
                """);
        Files.writeString(project.resolve("data/snapshot.csv"), "id,name\n1,a\n2,b\n3,c\n");
        assertThat(soma(project, "ingest").exitCode()).isZero();
        assertThat(soma(project, "run").exitCode()).isZero();
        // the next snapshot: 3 is gone, 4 is new
        Files.writeString(project.resolve("data/snapshot.csv"), "id,name\n1,a\n2,b\n4,d\n");
        assertThat(soma(project, "ingest").exitCode()).isZero();
        CliRun run = soma(project, "run");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        try (var warehouse = dev.soma.core.warehouse.Warehouse.open(dir.resolve("soma.duckdb"))) {
            assertThat(warehouse.queryList(dev.soma.core.warehouse.SqlOwner.soma("test"),
                    "SELECT id FROM main.latest ORDER BY id", rs -> rs.getInt(1))).containsExactly(1, 2, 4);
        }
    }

    @Test
    void mistakesAreOneLineAndExitTwo() throws IOException {
        Path project = project(INGEST.replace("key: isbn", "kee: isbn"));
        CliRun run = soma(project, "ingest");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("sources.yml:12:11: source publisher.curated_books: unknown key 'kee' in ingest "
                + "(did you mean 'key'?)").doesNotContain("at dev.soma");

        Path good = project(INGEST);
        CliRun unknown = soma(good, "ingest", "curated_book");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("did you mean 'publisher.curated_books'?");
    }

    @Test
    void aFailedLoadExitsOne() throws IOException {
        Path project = project("""
                        ingest:
                          http: {url: 'http://127.0.0.1:9/books', retries: 0, timeout: 1s}
                          columns: [id]
                """);
        CliRun run = soma(project, "ingest");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern("publisher\\.curated_books\\s+failed");
        assertThat(run.err()).contains("error: publisher.curated_books: ").contains("failed after 1 attempt(s)");
    }
}
