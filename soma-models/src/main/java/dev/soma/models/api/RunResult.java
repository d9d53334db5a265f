package dev.soma.models.api;

import dev.soma.core.error.SomaException;

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
 * @param command   the verb
 * @param startedAt when the run started
 * @param elapsed   wall time of the run
 * @param results   one per selected node
 * @param errors    what failed outside any node after the nodes ran: the {@code on_run_end} hooks,
 *                  writing {@code run_results.json}; the node results are kept all the same
 */
public record RunResult(String runId, Command command, Instant startedAt, Duration elapsed, List<NodeResult> results,
                        List<SomaException> errors) {

    public RunResult {
        results = List.copyOf(results);
        errors = List.copyOf(errors);
    }

    /** A run in which nothing failed outside its nodes. */
    public RunResult(String runId, Command command, Instant startedAt, Duration elapsed, List<NodeResult> results) {
        this(runId, command, startedAt, elapsed, results, List.of());
    }

    /** This result with {@code error} added to {@link #errors()}. */
    public RunResult withError(SomaException error) {
        List<SomaException> all = new java.util.ArrayList<>(errors);
        all.add(error);
        return new RunResult(runId, command, startedAt, elapsed, results, all);
    }

    /** Whether nothing failed (warnings and skips caused by nothing failing are fine). */
    public boolean isSuccess() {
        return errors.isEmpty() && results.stream().noneMatch(r -> r.status().isFailure());
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

    /** What the run's windowed models did to windows they found locked: skipped or re-done, and why. */
    public List<WindowNotice> windowNotices() {
        return results.stream().flatMap(r -> r.windowNotices().stream()).toList();
    }

    /** How many results have {@code status}. */
    public int count(NodeStatus status) {
        int count = 0;
        for (NodeResult result : results) {
            if (result.status() == status) {
                count++;
            }
        }
        return count;
    }
}
