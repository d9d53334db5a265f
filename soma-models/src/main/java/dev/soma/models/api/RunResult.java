package dev.soma.models.api;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@code run}, {@code test}, {@code seed} or {@code build}: every selected node's result,
 * in the order they finished.
 *
 * @param runId     the id under which the run is recorded in {@code soma_meta}
 * @param command   {@code run}, {@code test}, {@code build}, …
 * @param startedAt when the run started
 * @param elapsed   wall time of the run
 * @param results   one per selected node
 */
public record RunResult(String runId, String command, Instant startedAt, Duration elapsed, List<NodeResult> results) {

    public RunResult {
        results = List.copyOf(results);
    }

    /** Whether nothing failed (warnings and skips caused by nothing failing are fine). */
    public boolean isSuccess() {
        return results.stream().noneMatch(r -> r.status().isFailure());
    }

    /** Results that failed the run: model errors and error-severity test failures. */
    public List<NodeResult> failures() {
        return results.stream().filter(r -> r.status().isFailure()).toList();
    }

    /** The result for {@code name}, if it was in the run. */
    public NodeResult result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** How many results have each status. */
    public Map<NodeStatus, Integer> counts() {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        for (NodeResult result : results) {
            counts.merge(result.status(), 1, Integer::sum);
        }
        return counts;
    }

    public int count(NodeStatus status) {
        return counts().getOrDefault(status, 0);
    }
}
