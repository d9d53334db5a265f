package dev.soma.models.internal.window;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.AllAtOnce;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.NodeConfig;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several runs (threads of one process, each on its own connection, as DuckDB allows one writer
 * process) build one windowed model at once, each spreading its windows over two connections: every
 * window is loaded by exactly one of them.
 */
class ConcurrentWindowsIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void noWindowIsProcessedTwice() throws Exception {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            warehouse.createSchema("raw");
            warehouse.execute(CHECK, """
                    CREATE OR REPLACE TABLE raw.events AS
                    SELECT i AS id, TIMESTAMP '2024-01-01 00:05:00' + i * INTERVAL 10 MINUTE AS created_at FROM range(0, 288) t(i)
                    """);
            NodeConfig config = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(Map.of("materialized", "windowed",
                    "event_time", "created_at", "granularity", "15m", "start", "2024-01-01"), NodeConfig.class);
            ModelNode model = new ModelNode("model.p.events_w", "events_w", "marts/events_w.sql", List.of("marts"), config,
                    null, List.of(), null, Set.of(), Set.of(), new Relation("analytics", "events_w"), "x");
            Instant now = Instant.parse("2024-01-03T00:00:00Z");
            int runs = 3;
            AllAtOnce.Outcome<WindowedBuild.Summary> outcome = AllAtOnce.run(runs, (r, start) -> {
                try (Session session = warehouse.openSession()) {
                    WindowedBuild build = new WindowedBuild(model, window -> new CompiledModel(model,
                            "select id, created_at from raw.events where created_at >= " + window.startLiteral()
                                    + " and created_at < " + window.endLiteral(), false, List.of(), List.of(), "x"),
                            "run-" + r, now, Clock.fixed(now, ZoneOffset.UTC), null, 2, warehouse::openSession);
                    start.await();
                    return build.run(session);
                }
            });
            List<WindowedBuild.Summary> summaries = outcome.results();
            assertThat(outcome.errors()).isEmpty();
            assertThat(summaries).allSatisfy(s -> assertThat(s.error()).isNull());
            assertThat(summaries.stream().mapToInt(WindowedBuild.Summary::loaded).sum())
                    .as("each of the 192 windows loaded by exactly one run").isEqualTo(192);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_w")).isEqualTo(288);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(DISTINCT id) FROM analytics.events_w")).isEqualTo(288);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status = 'DONE'")).isEqualTo(192);
        }
    }
}
