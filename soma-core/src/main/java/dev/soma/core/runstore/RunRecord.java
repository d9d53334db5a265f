package dev.soma.core.runstore;

import java.time.Instant;

/**
 * One invocation of Soma ({@code run}, {@code test}, {@code build}, {@code generate}, …).
 *
 * @param runId      unique id of the run
 * @param command    what was run
 * @param startedAt  when it started
 * @param finishedAt when it finished, or {@code null} while running (or if it was killed)
 * @param status     running, then success or error
 * @param nodes      number of nodes selected
 * @param somaVersion the Soma version that ran it
 */
public record RunRecord(String runId, String command, Instant startedAt, Instant finishedAt, RunStatus status,
                        int nodes, String somaVersion) {
}
