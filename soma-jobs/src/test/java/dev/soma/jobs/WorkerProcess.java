package dev.soma.jobs;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a second JVM by the kill tests: a worker on the store named by the first argument (a DuckDB file
 * path or a {@code jdbc:postgresql:} URL) whose {@code effect} handler inserts the job id into table
 * {@code effects} in the transaction that completes the job, after a short pause (so a kill lands mid-batch).
 * Prints {@code ready}, then {@code completed ID} per job, and stops gracefully when its stdin closes.
 *
 * <p>Arguments: store, lease in milliseconds, handler pause in milliseconds.
 */
public final class WorkerProcess {

    public static void main(String[] args) throws Exception {
        String where = args[0];
        Duration lease = Duration.ofMillis(Long.parseLong(args[1]));
        long pauseMillis = Long.parseLong(args[2]);
        JobStore store = where.startsWith("jdbc:") ? JobStores.postgres(where) : JobStores.duckdb(Path.of(where));
        try (JobQueue queue = JobQueue.builder().store(store)
                .transactionalHandler("effect", (job, tx) -> {
                    Thread.sleep(pauseMillis);
                    try (var statement = tx.connection().createStatement()) {
                        statement.execute("INSERT INTO effects VALUES (" + job.id() + ")");
                    }
                })
                .listener(new JobListener() {
                    @Override
                    public void completed(long id, String kind) {
                        System.out.println("completed " + id);
                        System.out.flush();
                    }
                })
                .build()) {
            Worker worker = queue.worker(WorkerConfig.defaults().withThreads(2).withBatchSize(10).withLease(lease)
                    .withPollInterval(Duration.ofMillis(100))).start();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin (or kills us)
            }
            worker.close();
        }
    }

    /** Starts a worker process on {@code where}; returns once it is ready. */
    public static Process start(String where, Duration lease, long pauseMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", WorkerProcess.class.getName(), where,
                Long.toString(lease.toMillis()), Long.toString(pauseMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
        String line = reader.readLine();
        if (!"ready".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("worker process did not start: " + line);
        }
        return process;
    }
}
