package dev.soma.models.api;

import dev.soma.core.error.SomaException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How one node ended in a run.
 *
 * @param node         what the node is
 * @param status       how it ended
 * @param message      a short human summary ({@code CREATE TABLE (1,204 rows)}, the error, why it was skipped)
 * @param rowsAffected rows written by a model or seed; -1 when unknown or not applicable
 * @param failures     failing rows of a test; -1 for other nodes
 * @param samples      up to a few failing rows of a test, column to value
 * @param startedAt    when it started; {@code null} if it never ran
 * @param duration     how long it ran ({@link Duration#ZERO} if it never ran)
 * @param compiledPath the compiled SQL file, or {@code null}
 * @param checksum     SHA-256 of the compiled SQL, or {@code null}
 * @param error        the exception behind an error, or {@code null}
 * @param thread       the worker thread that ran it ({@code soma-worker-2}), or {@code null} if it never ran on one
 * @param windowNotices for a windowed model: windows found locked, skipped or re-done, and why; else empty
 */
public record NodeResult(NodeInfo node, NodeStatus status, String message, long rowsAffected, long failures,
                         List<Map<String, Object>> samples, Instant startedAt, Duration duration, Path compiledPath,
                         String checksum, SomaException error, String thread, List<WindowNotice> windowNotices) {

    public NodeResult {
        samples = samples == null ? List.of() : List.copyOf(samples);
        windowNotices = windowNotices == null ? List.of() : List.copyOf(windowNotices);
    }

    /** A result with no window notices. */
    public NodeResult(NodeInfo node, NodeStatus status, String message, long rowsAffected, long failures,
                      List<Map<String, Object>> samples, Instant startedAt, Duration duration, Path compiledPath,
                      String checksum, SomaException error, String thread) {
        this(node, status, message, rowsAffected, failures, samples, startedAt, duration, compiledPath, checksum, error,
                thread, List.of());
    }

    /** A result not yet placed on a worker thread (the runner adds it, see {@link #onThread}). */
    public NodeResult(NodeInfo node, NodeStatus status, String message, long rowsAffected, long failures,
                      List<Map<String, Object>> samples, Instant startedAt, Duration duration, Path compiledPath,
                      String checksum, SomaException error) {
        this(node, status, message, rowsAffected, failures, samples, startedAt, duration, compiledPath, checksum, error, null);
    }

    /** This result, run on {@code threadName}. */
    public NodeResult onThread(String threadName) {
        return new NodeResult(node, status, message, rowsAffected, failures, samples, startedAt, duration, compiledPath,
                checksum, error, threadName, windowNotices);
    }

    public static NodeResult skipped(NodeInfo node, String why) {
        return new NodeResult(node, NodeStatus.SKIPPED, why, -1, -1, List.of(), null, Duration.ZERO, null, null, null);
    }

    public String uniqueId() {
        return node.uniqueId();
    }

    public String name() {
        return node.name();
    }
}
