package dev.soma.benchmarks.jobs;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobState;
import dev.soma.jobs.JobStore;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.NewJob;
import dev.soma.jobs.TestPostgres;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * No-op jobs through the full cycle (enqueue, claim, complete) on each store, against the bare SQL of the
 * same state changes in batches on the same database in the same run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.jobs.QueueThroughput [duckdb|postgres|all] [JOBS] [ROUNDS]
 *      [--queue-url jdbc:postgresql://…]   # your own server instead of the bundled one (fsync on)
 * </pre>
 *
 * <ul>
 *   <li><b>queue</b>: {@code JobQueue.enqueueAll} in chunks of 1,000, then workers run until drained
 *   (DuckDB: one worker, 4 threads, batches of 1,000; PostgreSQL: 4 workers of 2 threads, batches of 500,
 *   each on its own connections, claiming with SKIP LOCKED).</li>
 *   <li><b>bare SQL</b>: one thread, same table shape, same batch sizes: an {@code INSERT … SELECT … FROM range()} per 1,000 jobs (no values cross JDBC), then
 *   per batch one {@code UPDATE … SET state='processing' … WHERE id IN (SELECT … LIMIT n) RETURNING id} and one
 *   {@code UPDATE … SET state='completed' WHERE id IN (…)}: the floor any queue on this store pays.</li>
 * </ul>
 */
public final class QueueThroughput {

    private QueueThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String queueUrl = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--queue-url")) {
                queueUrl = args[i + 1];
            }
        }
        System.out.printf(Locale.ROOT, "%,d no-op jobs per round, %d rounds (the first is warm-up), %d cores%n", jobs, rounds,
                Runtime.getRuntime().availableProcessors());
        if (which.equals("duckdb") || which.equals("all")) {
            Path dir = Files.createTempDirectory("soma-queue-bench-");
            for (int round = 1; round <= rounds; round++) {
                Path file = dir.resolve("round" + round + ".duckdb");
                double queue;
                try (Warehouse warehouse = Warehouse.open(file)) {
                    queue = runQueue(JobStores.duckdb(warehouse), jobs, 1, 4, 1000);
                }
                double bare;
                try (Warehouse warehouse = Warehouse.open(dir.resolve("bare" + round + ".duckdb"))) {
                    bare = bareSql(warehouse.openSession().jdbc(), false, jobs, 1000);
                }
                report("duckdb", round, queue, bare);
            }
        }
        if (which.equals("postgres") || which.equals("all")) {
            TestPostgres server = null;
            if (queueUrl == null) {
                server = TestPostgres.startDurable();
            }
            try {
                for (int round = 1; round <= rounds; round++) {
                    String url = queueUrl != null ? queueUrl : server.newDatabase("bench");
                    reset(url);
                    double queue = runQueue(JobStores.postgres(url), jobs, 4, 2, 500);
                    double bare;
                    try (Connection connection = DriverManager.getConnection(url)) {
                        bare = bareSql(connection, true, jobs, 500);
                    }
                    report("postgres", round, queue, bare);
                }
            } finally {
                if (server != null) {
                    server.stop();
                }
            }
        }
    }

    private static void report(String store, int round, double queue, double bare) {
        System.out.printf(Locale.ROOT, "%-8s round %d: queue %,8.0f jobs/s   bare SQL %,8.0f jobs/s   queue/bare %.2f%s%n", store, round,
                queue, bare, queue / bare, round == 1 ? "   (warm-up)" : "");
    }

    /** Jobs per second through enqueue + drain. */
    static double runQueue(JobStore plain, int jobs, int workers, int threads, int batch) throws Exception {
        java.util.Map<String, long[]> timings = new java.util.concurrent.ConcurrentSkipListMap<>();
        JobStore store = timed(plain, timings);
        try (JobQueue queue = JobQueue.builder().store(store).handler("noop", job -> { }).build()) {
            long start = System.nanoTime();
            List<NewJob> chunk = new ArrayList<>(1000);
            for (int i = 0; i < jobs; i++) {
                chunk.add(NewJob.of("noop", "{\"i\": " + i + "}"));
                if (chunk.size() == 1000) {
                    queue.enqueueAll(chunk);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                queue.enqueueAll(chunk);
            }
            long enqueued = System.nanoTime();
            WorkerConfig config = WorkerConfig.defaults().withThreads(threads).withBatchSize(batch)
                    .withPollInterval(Duration.ofMillis(50));
            List<Worker> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(queue.worker(config));
            }
            List<Thread> drains = new ArrayList<>();
            for (Worker worker : running) {
                Thread thread = new Thread(() -> {
                    try {
                        worker.runUntilDrained();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                thread.start();
                drains.add(thread);
            }
            for (Thread thread : drains) {
                thread.join();
            }
            long end = System.nanoTime();
            long completed = queue.stats().count(JobState.COMPLETED);
            if (completed != jobs) {
                throw new IllegalStateException("only " + completed + " of " + jobs + " jobs completed");
            }
            System.out.printf(Locale.ROOT, "    enqueue %.2f s (%,.0f jobs/s), claim+complete %.2f s (%,.0f jobs/s)%n",
                    (enqueued - start) / 1e9, jobs / ((enqueued - start) / 1e9), (end - enqueued) / 1e9,
                    jobs / ((end - enqueued) / 1e9));
            System.out.println("    store calls: " + timings.entrySet().stream()
                    .filter(e -> e.getValue()[0] > 0)
                    .map(e -> String.format(Locale.ROOT, "%s %,d x %.1f ms = %.2f s", e.getKey(), e.getValue()[0],
                            e.getValue()[1] / 1e6 / e.getValue()[0], e.getValue()[1] / 1e9))
                    .collect(Collectors.joining("; ")));
            return jobs / ((end - start) / 1e9);
        }
    }

    /** The store, counting calls and the time spent in each method (summed over threads). */
    private static JobStore timed(JobStore store, java.util.Map<String, long[]> timings) {
        return (JobStore) java.lang.reflect.Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    long start = System.nanoTime();
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (!method.getName().equals("awaitJobs")) {
                            long[] t = timings.computeIfAbsent(method.getName(), k -> new long[2]);
                            synchronized (t) {
                                t[0]++;
                                t[1] += System.nanoTime() - start;
                            }
                        }
                    }
                });
    }

    /** The same state changes in bare SQL, batched, on one connection; jobs per second. */
    static double bareSql(Connection connection, boolean postgres, int jobs, int batch) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bare");
            statement.execute("DROP TABLE IF EXISTS bare.jobs");
            statement.execute("CREATE TABLE bare.jobs (id BIGINT " + (postgres ? "PRIMARY KEY" : "NOT NULL") + ", kind VARCHAR NOT NULL, payload VARCHAR NOT NULL, "
                    + "priority INTEGER NOT NULL, state VARCHAR NOT NULL, run_at TIMESTAMP NOT NULL, attempt INTEGER NOT NULL, "
                    + "owner VARCHAR, lease_expires_at TIMESTAMP, finished_at TIMESTAMP)");
            if (postgres) {
                statement.execute("CREATE INDEX ON bare.jobs (priority, run_at, id) WHERE state = 'pending'");
            }
        }
        long start = System.nanoTime();
        connection.setAutoCommit(false);
        for (int from = 0; from < jobs; from += 1000) {
            int to = Math.min(jobs, from + 1000);
            String series = postgres ? "generate_series(" + from + ", " + (to - 1) + ") AS r(range)" : "range(" + from + ", " + to + ")";
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO bare.jobs (id, kind, payload, priority, state, run_at, attempt) SELECT range, 'noop', "
                        + "'{\"i\": ' || range || '}', 0, 'pending', TIMESTAMP '2026-01-01 00:00:00', 0 FROM " + series);
            }
            connection.commit();
        }
        long inserted = System.nanoTime();
        String due = "SELECT id FROM bare.jobs WHERE state = 'pending' AND run_at <= TIMESTAMP '2026-06-01 00:00:00' ORDER BY priority, run_at, id LIMIT " + batch
                + (postgres ? " FOR UPDATE SKIP LOCKED" : "");
        String claim = "UPDATE bare.jobs SET state = 'processing', attempt = attempt + 1, owner = 'bare', "
                + "lease_expires_at = TIMESTAMP '2026-06-01 00:00:30' WHERE id IN (" + due + ") RETURNING id";
        int done = 0;
        while (true) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(claim); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            connection.commit();
            if (ids.isEmpty()) {
                break;
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE bare.jobs SET state = 'completed', finished_at = TIMESTAMP '2026-06-01 00:00:01' WHERE id IN ("
                        + ids.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ") AND state = 'processing' "
                        + "AND owner = 'bare' AND attempt = 1");
            }
            connection.commit();
            done += ids.size();
        }
        connection.setAutoCommit(true);
        if (done != jobs) {
            throw new IllegalStateException("bare SQL completed " + done + " of " + jobs);
        }
        long end = System.nanoTime();
        System.out.printf(Locale.ROOT, "    bare: insert %.2f s (%,.0f jobs/s), claim+complete %.2f s (%,.0f jobs/s)%n",
                (inserted - start) / 1e9, jobs / ((inserted - start) / 1e9), (end - inserted) / 1e9, jobs / ((end - inserted) / 1e9));
        return jobs / ((end - start) / 1e9);
    }

    private static void reset(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS soma_meta CASCADE");
        }
    }
}
