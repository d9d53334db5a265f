package dev.soma.models.internal.run;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunListener;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.parser.ProjectParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker whose task throws something unexpected still reports its own node, with the real cause. */
class RunnerCrashTest {

    @TempDir
    Path dir;

    @Test
    void anUnexpectedExceptionKeepsItsNodeAndItsCause() throws Exception {
        Files.writeString(dir.resolve("soma_project.yml"), "name: crash\n");
        Files.writeString(dir.resolve("a.sql"), "select 1 as x");
        Files.writeString(dir.resolve("b.sql"), "select * from ${ref('a')}");
        Files.writeString(dir.resolve("c.sql"), "select 2 as y");
        Project project = new ProjectParser(Runnable::run, false, null).parse(dir, Map.of());
        ModelGraph graph = ModelGraph.of(project);
        NodeCatalog catalog = new NodeCatalog(graph);
        NullPointerException bug = new NullPointerException("a bug in a task");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            List<NodeResult> results = new Runner(warehouse, 2, false, RunListener.NONE, Clock.systemUTC()).run(
                    new Runner.Plan(graph, graph.order(), Map.of(), Set.of(), catalog::info),
                    (id, session) -> {
                        if (id.endsWith(".a")) {
                            throw bug;
                        }
                        return new NodeResult(catalog.info(id), NodeStatus.SUCCESS, "ok", -1, -1, List.of(), null,
                                Duration.ZERO, null, null, null);
                    });
            NodeResult crashed = results.stream().filter(r -> r.name().equals("a")).findFirst().orElseThrow();
            assertThat(crashed.node()).isEqualTo(catalog.info("model.crash.a"));
            assertThat(crashed.node().resourceType()).isEqualTo(ResourceType.MODEL);
            assertThat(crashed.status()).isEqualTo(NodeStatus.ERROR);
            assertThat(crashed.error().code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(crashed.error().getCause()).isSameAs(bug);
            assertThat(crashed.message()).contains("model a").contains("a bug in a task");
            assertThat(results).filteredOn(r -> r.name().equals("b")).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(NodeStatus.SKIPPED));
            assertThat(results).filteredOn(r -> r.name().equals("c")).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(NodeStatus.SUCCESS));
        }
    }
}
