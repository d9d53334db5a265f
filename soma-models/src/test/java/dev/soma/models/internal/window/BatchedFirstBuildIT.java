package dev.soma.models.internal.window;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.Relation;
import dev.soma.models.internal.compile.CompiledModel;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSetMetaData;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-based first build against loading each window on its own, on two real DuckDB files holding the
 * same source: after each run (the first build, late data re-run, new windows) the target tables and the
 * ledgers are the same, row for row, in every column but the elapsed time.
 */
class BatchedFirstBuildIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");
    private static final String FILTER = """
            select id, created_at, amount from raw.events
            where created_at >= ${window.start} and created_at < ${window.end}
            """;

    @TempDir
    Path dir;

    /** Two databases, one built set-based where it may, one window by window. */
    private final class Pair implements AutoCloseable {
        final Warehouse batched = Warehouse.open(dir.resolve("batched.duckdb"));
        final Warehouse oneByOne = Warehouse.open(dir.resolve("one-by-one.duckdb"));

        void both(String sql) {
            batched.execute(CHECK, sql);
            oneByOne.execute(CHECK, sql);
        }

        /** Runs both; returns how many batches the first loaded set-based. */
        int run(ModelNode model, String template, String now, WindowedBuild.Rerun rerun, int threads) {
            Instant at = Instant.parse(now);
            int setBased = 0;
            for (Warehouse warehouse : List.of(batched, oneByOne)) {
                WindowedBuild build = new WindowedBuild(model, window -> compiled(model, template, window), "run-" + now, at,
                        Clock.fixed(at, ZoneOffset.UTC), rerun, threads, warehouse::openSession);
                if (warehouse == oneByOne) {
                    build.oneByOne();
                }
                try (Session session = warehouse.openSession()) {
                    WindowedBuild.Summary summary = build.run(session);
                    assertThat(summary.error()).as(summary.notes().toString()).isNull();
                }
                if (warehouse == batched) {
                    setBased = build.setBasedBatches();
                }
            }
            return setBased;
        }

        void assertSame(String target) {
            assertThat(rows(batched, "SELECT * FROM " + target + " ORDER BY ALL"))
                    .isEqualTo(rows(oneByOne, "SELECT * FROM " + target + " ORDER BY ALL"));
            String ledger = "SELECT model, window_start, window_end, target_day, interval_minutes, status, run_id, locked_at, "
                    + "phase_completed, source_count, target_count, difference, percentage, audit_status, audit_result, "
                    + "retry_attempt, error, started_at, finished_at, created_at, updated_at FROM soma_meta.windows ORDER BY model, window_start";
            assertThat(rows(batched, ledger)).isEqualTo(rows(oneByOne, ledger)).isNotEmpty();
        }

        @Override
        public void close() {
            batched.close();
            oneByOne.close();
        }
    }

    private static List<String> rows(Warehouse warehouse, String sql) {
        return warehouse.queryList(CHECK, sql, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            StringJoiner row = new StringJoiner(" | ");
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.add(String.valueOf(rs.getObject(i)));
            }
            return row.toString();
        });
    }

    private static CompiledModel compiled(ModelNode model, String template, Window window) {
        String sql = template.replace("${window.start}", window.startLiteral()).replace("${window.end}", window.endLiteral());
        return new CompiledModel(model, sql, false, List.of(), List.of(), "x");
    }

    private static ModelNode model(String name, Map<String, Object> windowConfig) {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("materialized", "windowed", "event_time", "created_at"));
        config.putAll(windowConfig);
        NodeConfig node = new ObjectMapper().convertValue(config, NodeConfig.class);
        return new ModelNode("model.p." + name, name, "marts/" + name + ".sql", List.of("marts"), node, null, List.of(), null,
                Set.of(), Set.of(), new Relation("analytics", name), "x");
    }

    @Test
    void hourlyWindowsWithEmptyOnesThenLateDataThenNewWindows() {
        try (Pair pair = new Pair()) {
            pair.both("CREATE SCHEMA raw");
            // Two days of events every 7 minutes, with a hole of 5 hours (empty windows) on the first day.
            pair.both("CREATE TABLE raw.events AS SELECT i AS id, TIMESTAMP '2024-01-01 00:03:00' + i * INTERVAL 7 MINUTE AS created_at, "
                    + "i % 5 AS amount FROM range(0, 412) t(i) WHERE NOT (i BETWEEN 60 AND 100)");
            ModelNode model = model("events_h", Map.of("granularity", "1h", "start", "2024-01-01", "lag", "30m"));
            int setBased = pair.run(model, FILTER, "2024-01-02T12:10:00Z", null, 1);
            assertThat(setBased).as("the first build went set-based, all windows in one statement").isEqualTo(1);
            assertThat(pair.batched.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE source_count = 0"))
                    .as("empty windows among them").isGreaterThan(3);
            pair.assertSame("analytics.events_h");

            // Late data in windows already DONE, then the windows asked for again: one by one (the target has rows there).
            pair.both("INSERT INTO raw.events VALUES (9001, TIMESTAMP '2024-01-01 03:30:00', 1), (9002, TIMESTAMP '2024-01-01 09:59:59', 2)");
            assertThat(pair.run(model, FILTER, "2024-01-02T12:10:00Z", new WindowedBuild.Rerun(Instant.parse("2024-01-01T00:00:00Z"),
                    Instant.parse("2024-01-01T12:00:00Z")), 1)).isZero();
            pair.assertSame("analytics.events_h");

            // Later: the new due windows, a first load again, over two connections.
            assertThat(pair.run(model, FILTER, "2024-01-03T06:00:00Z", null, 2)).as("one statement, not one per connection").isEqualTo(1);
            pair.assertSame("analytics.events_h");
            assertThat(pair.batched.queryLong(CHECK, "SELECT count(*) FROM analytics.events_h"))
                    .isEqualTo(pair.batched.queryLong(CHECK, "SELECT count(*) FROM raw.events WHERE created_at < TIMESTAMP '2024-01-03 05:00:00'"));
        }
    }

    @Test
    void zonedDayWindowsAcrossDaylightSavingTime() {
        try (Pair pair = new Pair()) {
            pair.both("CREATE SCHEMA raw");
            // Every 17 minutes from March to November 2024: both DST changes of Europe/Berlin, 23- and 25-hour days.
            pair.both("CREATE TABLE raw.events AS SELECT i AS id, TIMESTAMP '2024-03-20 00:01:00' + i * INTERVAL 17 MINUTE AS created_at, "
                    + "i % 3 AS amount FROM range(0, 19000) t(i)");
            ModelNode model = model("events_d", Map.of("granularity", "1d", "start", "2024-03-25T06:00", "timezone", "Europe/Berlin"));
            int setBased = pair.run(model, FILTER, "2024-11-10T00:00:00Z", null, 1);
            assertThat(setBased).as("some 230 windows of three lengths, one statement").isEqualTo(1);
            pair.assertSame("analytics.events_d");
            assertThat(pair.batched.queryList(CHECK, "SELECT DISTINCT window_end - window_start FROM soma_meta.windows",
                    rs -> rs.getString(1))).as("23-, 24- and 25-hour windows").hasSize(3);
        }
    }

    @Test
    void aTemplateThatDoesNotReadTheWindowAndADateEventTime() {
        try (Pair pair = new Pair()) {
            pair.both("CREATE SCHEMA raw");
            pair.both("CREATE TABLE raw.events AS SELECT i AS id, DATE '2024-01-01' + CAST(i * i / 1000 AS INTEGER) AS created_at, i AS amount "
                    + "FROM range(0, 200) t(i)");
            String all = "select id, created_at, amount * 2 as doubled from raw.events";
            ModelNode model = model("events_all", Map.of("granularity", "2d", "start", "2024-01-02"));
            assertThat(pair.run(model, all, "2024-02-10T00:00:00Z", null, 1)).isPositive();
            pair.assertSame("analytics.events_all");
        }
    }

    /**
     * The whole first build locks every window, then its one statement fails (a row in window 100 does not
     * cast): the locked windows go on batch by batch without being locked again, the failing window is FAILED
     * with its own error, and every window after it is given back PENDING, none left locked, no row of them in.
     */
    @Test
    void aFailingFirstBuildGoesOnBatchByBatchAndGivesBackWhatItDidNotStart() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("failing.duckdb"))) {
            warehouse.execute(CHECK, "CREATE SCHEMA raw");
            warehouse.execute(CHECK, "CREATE TABLE raw.events AS SELECT i AS id, TIMESTAMP '2024-01-01 00:10:00' + i * INTERVAL 30 MINUTE "
                    + "AS created_at, CASE WHEN i = 201 THEN 'bad' ELSE CAST(i % 9 AS VARCHAR) END AS amount FROM range(0, 400) t(i)");
            String casting = """
                    select id, created_at, cast(amount as integer) as amount from raw.events
                    where created_at >= ${window.start} and created_at < ${window.end}
                    """;
            ModelNode model = model("events_f", Map.of("granularity", "1h", "start", "2024-01-01"));
            Instant at = Instant.parse("2024-01-09T08:00:00Z");
            WindowedBuild build = new WindowedBuild(model, window -> compiled(model, casting, window), "run-f", at,
                    Clock.fixed(at, ZoneOffset.UTC), null, 1, warehouse::openSession);
            WindowedBuild.Summary summary;
            try (Session session = warehouse.openSession()) {
                summary = build.run(session);
            }
            assertThat(summary.error()).as("window 100 fails, on its own").isNotNull();
            assertThat(summary.failed()).isEqualTo(1);
            String failed = "SELECT CAST(window_start AS VARCHAR) FROM soma_meta.windows WHERE status = 'FAILED'";
            assertThat(warehouse.queryList(CHECK, failed, rs -> rs.getString(1))).containsExactly("2024-01-05 04:00:00");
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status = 'IN_PROGRESS'")).isZero();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status = 'DONE'")).isEqualTo(100);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status = 'PENDING' "
                    + "AND window_start > TIMESTAMP '2024-01-05 04:00:00' AND error LIKE 'not started: %'")).isEqualTo(200 - 101);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_f")).isEqualTo(200);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_f WHERE created_at >= TIMESTAMP '2024-01-05 04:00:00'"))
                    .isZero();
            assertThat(warehouse.queryLong(CHECK, "SELECT sum(target_count) FROM soma_meta.windows WHERE status = 'DONE'")).isEqualTo(200);
        }
    }

    @Test
    void anAggregatePerWindowIsLoadedWindowByWindow() {
        try (Pair pair = new Pair()) {
            pair.both("CREATE SCHEMA raw");
            pair.both("CREATE TABLE raw.events AS SELECT i AS id, TIMESTAMP '2024-01-01 00:05:00' + i * INTERVAL 10 MINUTE AS created_at, "
                    + "i % 7 AS amount FROM range(0, 300) t(i)");
            String perWindow = """
                    select ${window.start} as created_at, count(*) as n, sum(amount) as total from raw.events
                    where created_at >= ${window.start} and created_at < ${window.end}
                    """;
            ModelNode model = model("events_agg", Map.of("granularity", "2h", "start", "2024-01-01"));
            assertThat(pair.run(model, perWindow, "2024-01-03T00:00:00Z", null, 1)).isZero();
            pair.assertSame("analytics.events_agg");
            // One row per window, also for the empty windows at the end: a span query would have given one row in all.
            assertThat(pair.batched.queryLong(CHECK, "SELECT count(*) FROM analytics.events_agg")).isEqualTo(24);
        }
    }
}
