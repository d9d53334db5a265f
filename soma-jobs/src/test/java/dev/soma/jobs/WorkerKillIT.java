package dev.soma.jobs;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 a worker process mid-batch: after its leases expire (PostgreSQL) or the file is reopened (DuckDB),
 * every job ends completed, none lost, and the transactional handler's effect table holds each job once.
 */
class WorkerKillIT {

    private static final int JOBS = 200;

    @Test
    void postgresTwoWorkerProcessesOneKilledEveryJobCompletesExactlyOnce() throws Exception {
        String url = TestPostgres.server().newDatabase("kill");
        try (JobStore store = JobStores.postgres(url)) {
            sql(url, "CREATE TABLE effects (job_id BIGINT)");
            store.enqueue(IntStream.range(0, JOBS).mapToObj(i -> NewJob.of("effect", "{\"i\": " + i + "}")).toList(),
                    java.time.Instant.now());

            Duration lease = Duration.ofMillis(1500);
            Process victim = WorkerProcess.start(url, lease, 20);
            Process survivor = WorkerProcess.start(url, lease, 20);
            try {
                waitFor(() -> count(url, "SELECT count(*) FROM effects") >= JOBS / 5, 60);
                victim.destroyForcibly(); // SIGKILL: no shutdown hook, no release
                assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long heldByVictim = count(url, "SELECT count(*) FROM soma_meta.jobs WHERE state = 'processing'");

                waitFor(() -> store.stats(java.time.Instant.now()).count(JobState.COMPLETED) == JOBS, 90);
                assertThat(count(url, "SELECT count(*) FROM effects")).isEqualTo(JOBS);
                assertThat(count(url, "SELECT count(DISTINCT job_id) FROM effects")).isEqualTo(JOBS);
                assertThat(count(url, "SELECT count(*) FROM soma_meta.jobs WHERE state <> 'completed'")).isZero();
                assertThat(heldByVictim).as("the victim held jobs when it died").isPositive();
                assertThat(count(url, "SELECT count(*) FROM soma_meta.job_errors WHERE message = 'lease expired'"))
                        .as("its jobs were rescued when the lease expired").isPositive();
            } finally {
                survivor.getOutputStream().close();
                if (!survivor.waitFor(30, TimeUnit.SECONDS)) {
                    survivor.destroyForcibly();
                }
                victim.destroyForcibly();
            }
        }
    }

    @Test
    void duckdbKilledWorkerRestartsAndEveryJobCompletesWithoutADuplicateEffect(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jobs.duckdb");
        try (Warehouse warehouse = Warehouse.open(file); JobStore store = JobStores.duckdb(warehouse)) {
            warehouse.execute(SqlOwner.soma("test"), "CREATE TABLE effects (job_id BIGINT)");
            store.enqueue(IntStream.range(0, JOBS).mapToObj(i -> NewJob.of("effect", "{\"i\": " + i + "}")).toList(),
                    java.time.Instant.now());
        }
        Process victim = WorkerProcess.start(file.toString(), Duration.ofMinutes(10), 10);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream()))) {
            for (int seen = 0; seen < JOBS / 5; seen++) {
                assertThat(out.readLine()).startsWith("completed ");
            }
            victim.destroyForcibly();
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        // the restart: the file is free again, and what the dead process held is rescued at once (no lease wait)
        try (Warehouse warehouse = Warehouse.open(file)) {
            long held = warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM soma_meta.jobs WHERE state = 'processing'");
            long done = warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM soma_meta.jobs WHERE state = 'completed'");
            assertThat(done).isBetween((long) JOBS / 5, (long) JOBS - 1);
            assertThat(held).as("the victim held jobs when it died").isPositive();
            try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                    .transactionalHandler("effect", (job, tx) -> {
                        try (var statement = tx.connection().createStatement()) {
                            statement.execute("INSERT INTO effects VALUES (" + job.id() + ")");
                        }
                    }).build();
                 Worker worker = queue.worker(WorkerConfig.defaults().withPollInterval(Duration.ofMillis(20)))) {
                worker.runUntilDrained();
            }
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM soma_meta.jobs WHERE state = 'completed'"))
                    .isEqualTo(JOBS);
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(*) FROM effects")).isEqualTo(JOBS);
            assertThat(warehouse.queryLong(SqlOwner.soma("test"), "SELECT count(DISTINCT job_id) FROM effects")).isEqualTo(JOBS);
            assertThat(warehouse.queryLong(SqlOwner.soma("test"),
                    "SELECT count(*) FROM soma_meta.job_errors WHERE message = 'lease expired'")).isEqualTo(held);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static void sql(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
