package dev.soma.cli.jobs;

import dev.soma.cli.CliRun;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code soma jobs …} and {@code soma worker}, in-process with captured output. */
class JobsCommandTest {

    @Test
    void enqueueWorkListShowAndStatsOnDuckDb(@TempDir Path dir) {
        String db = dir.resolve("soma.duckdb").toString();
        for (int i = 0; i < 3; i++) {
            CliRun run = CliRun.of("jobs", "enqueue", "noop", "{\"i\": " + i + "}", "--db", db);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("enqueued job " + (i + 1) + "\n");
        }
        CliRun keyed = CliRun.of("jobs", "enqueue", "sleep", "{\"ms\": 1}", "--unique-key", "isbn:1", "--db", db);
        assertThat(keyed.out()).isEqualTo("enqueued job 4\n");
        CliRun again = CliRun.of("jobs", "enqueue", "sleep", "{\"ms\": 1}", "--unique-key", "isbn:1", "--db", db);
        assertThat(again.out()).isEqualTo("job 4 already holds unique key isbn:1; nothing enqueued\n");

        CliRun pending = CliRun.of("jobs", "ls", "--db", db, "--state", "pending");
        assertThat(pending.exitCode()).as(pending.err()).isZero();
        assertThat(pending.out()).startsWith("id  kind   state    attempt  priority  run_at")
                .contains("4   sleep  pending  0/5      0").contains("isbn:1").endsWith("(4 jobs)\n");

        CliRun worker = CliRun.of("worker", "--db", db, "--threads", "2", "--poll", "50ms");
        assertThat(worker.exitCode()).as(worker.err()).isZero();
        assertThat(worker.out()).contains("kinds enrich_book, noop, sleep, 2 threads, batches of 100")
                .containsPattern("4 completed, 0 failed, 0 to retry in [0-9.]+ s");

        CliRun show = CliRun.of("jobs", "show", "4", "--db", db);
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).startsWith("job 4 (sleep)\n").contains("state:            completed")
                .contains("attempt:          1 of 5").contains("payload:          {\"ms\": 1}").contains("errors: none");

        CliRun stats = CliRun.of("jobs", "stats", "--db", db);
        assertThat(stats.out()).contains("jobs in ").contains(": 4\n")
                .containsPattern("noop +0 +0 +3 +0 +0").containsPattern("\\(all\\) +0 +0 +4 +0 +0")
                .contains("rescued after a lease expired: 0");

        CliRun paged = CliRun.of("jobs", "ls", "--db", db, "--limit", "2");
        assertThat(paged.out()).endsWith("(2 jobs; next page: --before 3)\n");
        assertThat(CliRun.of("jobs", "ls", "--db", db, "--kind", "nothing").out()).startsWith("no jobs match in ");
    }

    @Test
    void projectDirPicksTheTargetsDatabaseLikeEveryOtherCommand(@TempDir Path dir) throws java.io.IOException {
        Path project = java.nio.file.Files.createDirectories(dir.resolve("shop"));
        java.nio.file.Files.writeString(project.resolve("soma_project.yml"), """
                name: shop
                targets:
                  dev: {database: data/shop.duckdb}
                """);
        java.nio.file.Files.createDirectories(project.resolve("data"));
        CliRun enqueue = CliRun.of("jobs", "enqueue", "noop", "{}", "--project-dir", project.toString());
        assertThat(enqueue.exitCode()).as(enqueue.err()).isZero();
        assertThat(project.resolve("data/shop.duckdb")).exists();
        CliRun worker = CliRun.of("worker", "--project-dir", project.toString(), "--poll", "50ms");
        assertThat(worker.exitCode()).as(worker.err()).isZero();
        assertThat(worker.out()).containsPattern("1 completed, 0 failed");

        CliRun missing = CliRun.of("jobs", "ls", "--project-dir", dir.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("project folder " + dir.resolve("nowhere") + " does not exist")
                .doesNotContain("Exception");
    }

    @Test
    void retryFailedCancelAndPrune(@TempDir Path dir) {
        Path db = dir.resolve("soma.duckdb");
        try (JobStore store = JobStores.duckdb(db)) {
            Instant now = Instant.now();
            store.enqueue(List.of(NewJob.of("noop", "{}").withMaxAttempts(1), NewJob.of("sleep", "{}").withMaxAttempts(1),
                    NewJob.of("noop", "{}").withRunAt(now.plusSeconds(3600))), now);
            for (var job : store.claim("test", 2, Set.of(), now, Duration.ofMinutes(1))) {
                store.fail(job.lease(), new JobError(1, "boom from " + job.kind(), "java.io.IOException", now), now);
            }
        }
        CliRun show = CliRun.of("jobs", "show", "1", "--db", db.toString());
        assertThat(show.out()).contains("state:            failed").contains("errors (1):")
                .containsPattern("1 +\\S+Z +IOException +boom from noop");

        CliRun byKind = CliRun.of("jobs", "retry-failed", "--kind", "sleep", "--db", db.toString());
        assertThat(byKind.out()).isEqualTo("1 failed job back to pending\n");
        CliRun byId = CliRun.of("jobs", "retry-failed", "1", "--db", db.toString());
        assertThat(byId.out()).isEqualTo("1 failed job back to pending\n");
        assertThat(CliRun.of("jobs", "retry-failed", "--db", db.toString()).out()).isEqualTo("0 failed jobs back to pending\n");

        CliRun cancel = CliRun.of("jobs", "cancel", "3", "--db", db.toString());
        assertThat(cancel.exitCode()).isZero();
        assertThat(cancel.out()).isEqualTo("cancelled 1 job: 3\n");
        CliRun refused = CliRun.of("jobs", "cancel", "3", "99", "--db", db.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("not cancelled (only pending jobs can be): 3 is cancelled, 99 does not exist");

        assertThat(CliRun.of("jobs", "prune", "--db", db.toString()).out()).isEqualTo("pruned 0 finished jobs\n");
        assertThat(CliRun.of("jobs", "prune", "--older-than", "0s", "--db", db.toString()).out()).isEqualTo("pruned 1 finished job\n");
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        String db = dir.resolve("soma.duckdb").toString();
        CliRun unknown = CliRun.of("jobs", "enqueue", "enrihc", "{}", "--db", db);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("error: unknown job kind 'enrihc'; the known kinds are: enrich_book, noop, sleep."
                + " Register a handler for it or fix the name\n");

        CliRun notJson = CliRun.of("jobs", "enqueue", "noop", "{isbn: 1}", "--db", db);
        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.err()).startsWith("error: the payload of a noop job is not JSON: expected a quoted key at character 2")
                .doesNotContain("\tat ");
        assertThat(notJson.err().lines()).hasSize(1);

        for (String size : List.of("0", "-3")) {
            CliRun batch = CliRun.of("worker", "--batch-size", size, "--db", db);
            assertThat(batch.exitCode()).isEqualTo(2);
            assertThat(batch.err()).isEqualTo("error: batch_size must be between 1 and 100000, got " + size + "\n");
        }

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/soma?user=soma&password=hunter2";
        for (String[] args : List.of(new String[] {"jobs", "ls", "--queue-url", url}, new String[] {"worker", "--queue-url", url})) {
            CliRun unreachable = CliRun.of(args);
            assertThat(unreachable.exitCode()).isEqualTo(2);
            assertThat(unreachable.err().lines()).hasSize(1);
            assertThat(unreachable.err()).startsWith("error: cannot connect to the PostgreSQL queue at jdbc:postgresql://127.0.0.1:"
                    + closedPort + "/soma?user=soma&password=***: ").doesNotContain("hunter2");
        }

        CliRun noJob = CliRun.of("jobs", "show", "42", "--db", db);
        assertThat(noJob.exitCode()).isEqualTo(2);
        assertThat(noJob.err()).startsWith("error: no job 42 in ").endsWith("; list the jobs with 'soma jobs ls'\n");

        CliRun badState = CliRun.of("jobs", "ls", "--state", "done", "--db", db);
        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.err()).contains("unknown job state 'done'; use one of pending, processing, completed, failed, cancelled");
    }

    @Test
    void theSameCommandsOnPostgres() {
        String url = TestPostgres.server().newDatabase("cli");
        for (int i = 0; i < 5; i++) {
            assertThat(CliRun.of("jobs", "enqueue", "noop", "--queue-url", url).exitCode()).isZero();
        }
        CliRun worker = CliRun.of("worker", "--queue-url", url, "--poll", "50ms");
        assertThat(worker.exitCode()).as(worker.err()).isZero();
        assertThat(worker.out()).contains("worker on jdbc:postgresql://127.0.0.1:").containsPattern("5 completed, 0 failed");
        assertThat(CliRun.of("jobs", "ls", "--queue-url", url, "--state", "completed").out()).endsWith("(5 jobs)\n");
    }
}
