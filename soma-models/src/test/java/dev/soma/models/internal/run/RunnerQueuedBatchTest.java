package dev.soma.models.internal.run;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunListener;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.parser.ProjectParser;
import dev.soma.models.internal.project.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches of views queued behind a busy worker ({@link Runner}): six roots {@code r1..r6} and a child {@code c<i>}
 * of each, in batches of two on one worker, so several batches are planned while another is still running. Each
 * node really creates its view on the worker's session, and a child first reads its parent there.
 */
class RunnerQueuedBatchTest {

    @TempDir
    Path dir;

    private ModelGraph graph;
    private NodeCatalog catalog;
    private final List<String> executed = new CopyOnWriteArrayList<>();
    /** How many results the scheduler has handed to the listener so far. */
    private final AtomicInteger reported = new AtomicInteger();

    @BeforeEach
    void project() throws Exception {
        Files.writeString(dir.resolve("soma_project.yml"), "name: q\n");
        for (int i = 1; i <= 6; i++) {
            Files.writeString(dir.resolve("r" + i + ".sql"), "select " + i + " as x");
            Files.writeString(dir.resolve("c" + i + ".sql"), "select x from ${ref('r" + i + "')}");
        }
        Project project = new ProjectParser(Runnable::run, false, null).parse(dir, Map.of());
        graph = ModelGraph.of(project);
        catalog = new NodeCatalog(graph);
    }

    private List<NodeResult> run(boolean failFast, String failing) {
        return run(failFast, failing, RunListener.NONE);
    }

    private List<NodeResult> run(boolean failFast, String failing, RunListener listener) {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            return new Runner(warehouse, 1, failFast, listener, Clock.systemUTC()).run(
                    new Runner.Plan(graph, graph.order(), Map.of(), Set.of(), catalog::info),
                    (id, session) -> {
                        String name = id.substring(id.lastIndexOf('.') + 1);
                        executed.add(name + "@" + reported.get());
                        if (name.equals(failing)) {
                            return result(id, NodeStatus.ERROR);
                        }
                        if (name.startsWith("c")) {
                            // the parent is visible: built earlier in this batch, or committed before it
                            session.execute(SqlOwner.soma("check"), "SELECT count(*) FROM r" + name.substring(1));
                        }
                        session.execute(SqlOwner.soma("build"), "CREATE OR REPLACE VIEW " + name + " AS SELECT "
                                + name.substring(1) + " AS x");
                        return result(id, NodeStatus.SUCCESS);
                    },
                    new Runner.Batching(id -> true, 2));
        }
    }

    private List<String> names() {
        return executed.stream().map(entry -> entry.substring(0, entry.indexOf('@'))).toList();
    }

    @Test
    void theWorkerStartsTheQueuedBatchWhileTheSchedulerIsStillTakingInTheLastOne() {
        // the scheduler is slow to take in r1's result: the next batch (r3, r4) must not wait for it
        RunListener slow = new RunListener() {
            @Override
            public void nodeFinished(NodeResult result, int index, int total) {
                if (result.name().equals("r1")) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                reported.incrementAndGet();
            }
        };
        List<NodeResult> results = run(false, null, slow);
        assertThat(results).extracting(NodeResult::status).containsOnly(NodeStatus.SUCCESS);
        assertThat(executed).contains("r3@0");
    }

    private NodeResult result(String id, NodeStatus status) {
        return new NodeResult(catalog.info(id), status, status.label(), -1, -1, List.of(), null, Duration.ZERO, null, null,
                null);
    }

    private static NodeStatus statusOf(List<NodeResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().status();
    }

    @Test
    void everyNodeRunsOnceAfterItsParentAndAFailureSkipsOnlyItsOwnDownstream() {
        List<NodeResult> results = run(false, "r1");
        assertThat(results).hasSize(12);
        assertThat(statusOf(results, "r1")).isEqualTo(NodeStatus.ERROR);
        assertThat(statusOf(results, "c1")).isEqualTo(NodeStatus.SKIPPED);
        for (int i = 2; i <= 6; i++) {
            assertThat(statusOf(results, "r" + i)).isEqualTo(NodeStatus.SUCCESS);
            assertThat(statusOf(results, "c" + i)).isEqualTo(NodeStatus.SUCCESS);
        }
        assertThat(names()).doesNotContain("c1");
    }

    @Test
    void withFailFastNoBatchWaitsInTheQueueSoNothingStartsAfterTheFailure() {
        List<NodeResult> results = run(true, "r1");
        assertThat(statusOf(results, "r1")).isEqualTo(NodeStatus.ERROR);
        // r1's batch (r1, r2) is rolled back; r1 then fails alone and stops the run: r3..r6 never start
        assertThat(names()).doesNotContain("r3", "r4", "r5", "r6", "c1", "c3", "c4", "c5", "c6");
        for (int i = 3; i <= 6; i++) {
            assertThat(statusOf(results, "r" + i)).isEqualTo(NodeStatus.SKIPPED);
        }
    }
}
