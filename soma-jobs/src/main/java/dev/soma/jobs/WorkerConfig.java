package dev.soma.jobs;

import dev.soma.core.config.Threads;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Worker} runs. Immutable; start from {@link #defaults()}.
 *
 * @param threads           handler threads; default 4
 * @param batchSize         jobs claimed per round trip ({@code batch_size}); default 100
 * @param lease             how long a claim holds without a heartbeat; default 30 s
 * @param heartbeatInterval how often running jobs' leases are renewed; default 10 s, less than {@code lease}
 * @param pollInterval      how often an idle worker looks for due jobs when no notification came; default 1 s
 * @param jobTimeout        a handler running longer is given up on and its job failed with a timeout; default 15 min
 * @param shutdownGrace     how long {@link Worker#close()} lets running handlers finish before releasing their jobs; default 10 s
 * @param owner             the name leases are held under; {@code null} makes one from host, PID and a random suffix
 * @param retention         finished jobs (completed, failed, cancelled) older than this are pruned by the worker once a
 *                          minute; default 7 days; {@code null} never prunes (use {@link JobQueue#prune} yourself)
 */
public record WorkerConfig(int threads, int batchSize, Duration lease, Duration heartbeatInterval, Duration pollInterval,
                           Duration jobTimeout, Duration shutdownGrace, String owner, Duration retention) {

    public WorkerConfig {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(jobTimeout, "jobTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Threads.require("threads", threads);
        require(batchSize >= 1 && batchSize <= 100_000, "batch_size must be between 1 and 100000, got " + batchSize);
        require(positive(lease), "the lease must be longer than zero, got " + lease);
        require(positive(heartbeatInterval) && heartbeatInterval.compareTo(lease) < 0,
                "the heartbeat interval (" + heartbeatInterval + ") must be shorter than the lease (" + lease + ")");
        require(positive(pollInterval), "the poll interval must be longer than zero, got " + pollInterval);
        require(positive(jobTimeout), "the job timeout must be longer than zero, got " + jobTimeout);
        require(!shutdownGrace.isNegative(), "the shutdown grace must not be negative, got " + shutdownGrace);
        require(retention == null || !retention.isNegative(), "the retention must not be negative, got " + retention);
    }

    /**
     * 4 threads, batches of 100, 30 s leases renewed every 10 s, 1 s polls, 15 min job timeout, 10 s grace,
     * finished jobs kept 7 days.
     */
    public static WorkerConfig defaults() {
        return new WorkerConfig(4, 100, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(15), Duration.ofSeconds(10), null, Duration.ofDays(7));
    }

    public WorkerConfig withThreads(int threads) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    public WorkerConfig withBatchSize(int batchSize) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    /** A lease and a heartbeat interval of a third of it. */
    public WorkerConfig withLease(Duration lease) {
        return new WorkerConfig(threads, batchSize, lease, lease.dividedBy(3), pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    public WorkerConfig withHeartbeatInterval(Duration heartbeatInterval) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    public WorkerConfig withPollInterval(Duration pollInterval) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    public WorkerConfig withJobTimeout(Duration jobTimeout) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    public WorkerConfig withShutdownGrace(Duration shutdownGrace) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    public WorkerConfig withOwner(String owner) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    /** Finished jobs older than {@code retention} are pruned once a minute; {@code null}: never. */
    public WorkerConfig withRetention(Duration retention) {
        return new WorkerConfig(threads, batchSize, lease, heartbeatInterval, pollInterval, jobTimeout, shutdownGrace, owner, retention);
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, message);
        }
    }
}
