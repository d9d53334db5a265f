package dev.soma.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.runstore.RunStatus;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunListener;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.SqlOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Parallel runs respect dependencies; failures skip descendants only; fail-fast stops early. */
class RunnerIT {

    @TempDir
    Path dir;

    /** A wide, deep graph: 3 roots, each feeding a chain of 4, all joined at the end. */
    private ProjectFixture layered() {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("layered")).file("soma_project.yml", """
                name: layered
                models: {materialized: table}
                """);
        List<String> tails = new ArrayList<>();
        for (int root = 0; root < 3; root++) {
            fixture.file("r" + root + "_0.sql", "select range as v from range(20000)");
            for (int step = 1; step <= 4; step++) {
                fixture.file("r" + root + "_" + step + ".sql",
                        "select v + 1 as v from ${ref('r" + root + "_" + (step - 1) + "')}");
            }
            tails.add("${ref('r" + root + "_4')}");
        }
        fixture.file("joined.sql", "select count(*) as n from " + String.join(", ", tails.subList(0, 1))
                + " union all select count(*) from " + tails.get(1) + " union all select count(*) from " + tails.get(2));
        return fixture;
    }

    /** Records start and finish events in the order the listener hears them. */
    private static final class Recorder implements RunListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void nodeStarted(NodeInfo node, int index, int total) {
            events.add("start " + node.name());
        }

        @Override
        public void nodeFinished(NodeResult result, int index, int total) {
            events.add("finish " + result.name());
        }
    }

    @Test
    void parallelRunsStartEachNodeAfterItsParentsFinished() {
        Recorder recorder = new Recorder();
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"));
             Soma soma = layered().soma(warehouse).threads(4).listener(recorder).build()) {
            RunResult result = soma.run(Selection.all());
            assertThat(result.isSuccess()).isTrue();
            assertThat(result.results()).hasSize(16);
            for (NodeInfo node : soma.list(Selection.all())) {
                int started = recorder.events.indexOf("start " + node.name());
                assertThat(started).isNotNegative();
                for (String parent : node.dependsOn()) {
                    String parentName = parent.substring(parent.lastIndexOf('.') + 1);
                    assertThat(recorder.events.indexOf("finish " + parentName))
                            .as("%s starts after %s finished", node.name(), parentName)
                            .isBetween(0, started);
                }
            }
            assertThat(warehouse.queryLong(SqlOwner.loader("check"), "SELECT sum(n) FROM main.joined")).isEqualTo(60000);
        }
    }

    @Test
    void independentModelsRunAtTheSameTime() {
        // Two models that need nothing from each other, each busy for a while: with two threads the
        // second starts before the first ends. A serial runner would finish one before starting the other.
        ProjectFixture fixture = new ProjectFixture(dir.resolve("pair"))
                .file("soma_project.yml", "name: pair\nmodels: {materialized: table}\n")
                .file("slow_a.sql", "select sum(hash(i)) as s from range(200000000) t(i)")
                .file("slow_b.sql", "select sum(hash(i + 1)) as s from range(200000000) t(i)");
        Recorder recorder = new Recorder();
        try (Warehouse warehouse = Warehouse.inMemory();
             Soma soma = fixture.soma(warehouse).threads(2).listener(recorder).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
        }
        assertThat(recorder.events).hasSize(4);
        assertThat(recorder.events.subList(0, 2)).as("both start before either finishes: %s", recorder.events)
                .containsExactlyInAnyOrder("start slow_a", "start slow_b");
    }

    @Test
    void aFailureSkipsItsDescendantsAndTheRestFinish() {
        ProjectFixture fixture = layered().file("r1_2.sql", "select v, error('bad row') as boom from ${ref('r1_1')}");
        try (Warehouse warehouse = Warehouse.inMemory();
             Soma soma = fixture.soma(warehouse).threads(3).build()) {
            RunResult result = soma.run(Selection.all());
            Map<String, NodeStatus> status = result.results().stream()
                    .collect(Collectors.toMap(NodeResult::name, NodeResult::status));
            assertThat(status.get("r1_2")).isEqualTo(NodeStatus.ERROR);
            assertThat(status.get("r1_3")).isEqualTo(NodeStatus.SKIPPED);
            assertThat(status.get("r1_4")).isEqualTo(NodeStatus.SKIPPED);
            assertThat(status.get("joined")).isEqualTo(NodeStatus.SKIPPED);
            assertThat(status.get("r0_4")).isEqualTo(NodeStatus.SUCCESS);
            assertThat(status.get("r2_4")).isEqualTo(NodeStatus.SUCCESS);
            assertThat(result.result("r1_3").message()).isEqualTo("skipped: upstream r1_2 error");
            assertThat(result.count(NodeStatus.SUCCESS)).isEqualTo(12);
            assertThat(result.isSuccess()).isFalse();
            assertThat(warehouse.relationExists("main", "r1_3")).isFalse();
        }
    }

    @Test
    void failFastStartsNothingAfterTheFirstFailure() {
        ProjectFixture fixture = layered().file("r0_0.sql", "select error('first node fails') as v");
        try (Warehouse warehouse = Warehouse.inMemory();
             Soma soma = fixture.soma(warehouse).threads(1).failFast(true).build()) {
            RunResult result = soma.run(Selection.all());
            assertThat(result.result("r0_0").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(result.count(NodeStatus.SUCCESS)).isZero();
            assertThat(result.count(NodeStatus.SKIPPED)).isEqualTo(15);
            assertThat(result.result("r1_0").message()).isEqualTo("skipped: --fail-fast stopped the run after r0_0 failed");
        }
    }

    @Test
    void recordsTheRunAndEveryNodeInSomaMeta() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory();
             Soma soma = layered().soma(warehouse).build()) {
            RunResult result = soma.run(Selection.of("+r0_2"));
            var runs = new RunStore(warehouse.session()).runs(5);
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).runId()).isEqualTo(result.runId());
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(runs.get(0).finishedAt()).isNotNull();
            SqlOwner check = SqlOwner.loader("check");
            assertThat(warehouse.queryLong(check, "SELECT count(*) FROM soma_meta.node_results WHERE run_id = '"
                    + result.runId() + "' AND status = 'success' AND rows_affected = 20000 "
                    + "AND length(compiled_sql_checksum) = 64 AND duration_ms >= 0")).isEqualTo(3);
            // Read as JSON, not as text: the layout (indentation, spaces) is no part of the contract.
            ObjectMapper json = new ObjectMapper();
            JsonNode runResults = json.readTree(soma.targetDir().resolve("run_results.json").toFile());
            assertThat(runResults.at("/metadata/invocation_id").asText()).isEqualTo(result.runId());
            JsonNode r02 = null;
            for (JsonNode node : runResults.get("results")) {
                if (node.get("unique_id").asText().equals("model.layered.r0_2")) {
                    r02 = node;
                }
            }
            assertThat(r02).as("r0_2 in run_results.json").isNotNull();
            assertThat(r02.at("/adapter_response/rows_affected").asLong()).isEqualTo(20000);
            JsonNode manifest = json.readTree(soma.targetDir().resolve("manifest.json").toFile());
            assertThat(manifest.at("/child_map/model.layered.r0_1")).extracting(JsonNode::asText)
                    .containsExactly("model.layered.r0_2");
        }
    }
}
