package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowStatus;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.TemplateException;
import dev.soma.models.error.WindowConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Windowed models end to end on a real DuckDB: windows due, lag, re-runs, audit, failures, concurrency. */
class WindowedModelIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    /** raw.events: one event every 10 minutes from 2024-01-01 00:05 for two days. */
    static void events(Warehouse warehouse) {
        warehouse.createSchema("raw");
        warehouse.execute(CHECK, """
                CREATE OR REPLACE TABLE raw.events AS
                SELECT i AS id, TIMESTAMP '2024-01-01 00:05:00' + i * INTERVAL 10 MINUTE AS created_at, i % 7 AS amount
                FROM range(0, 288) t(i)
                """);
    }

    static final String SOURCES = """
            sources:
              - name: raw
                tables:
                  - name: events
            """;

    private ProjectFixture project(String config) {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", SOURCES)
                .file("marts/events_windowed.sql", "<@config materialized=\"windowed\" event_time=\"created_at\" " + config + "/>\n"
                        + """
                        select id, created_at, amount
                        from ${source("raw", "events")}
                        where created_at >= ${window.start} and created_at < ${window.end}
                        """);
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static long count(Warehouse warehouse, String sql) {
        return warehouse.queryLong(CHECK, sql);
    }

    @Test
    void loadsEveryDueWindowOnceAndSkipsThemNextTime() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = project("granularity=\"2h\" start=\"2024-01-01\" lag=\"1h\"");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-02T01:00:00Z")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                assertThat(result.result("events_windowed").message()).startsWith("WINDOWED (12 loaded, 0 skipped");
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(144);
                List<WindowRecord> windows = soma.windows("events_windowed");
                assertThat(windows).hasSize(12).allSatisfy(w -> {
                    assertThat(w.state()).isEqualTo(WindowStatus.DONE);
                    assertThat(w.sourceCount()).isEqualTo(12);
                    assertThat(w.targetCount()).isEqualTo(12);
                    assertThat(w.difference()).isZero();
                    assertThat(w.auditStatus()).isEqualTo("PASSED");
                });
            }
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-02T01:30:00Z")).build()) {
                RunResult again = soma.run(Selection.all());
                assertThat(again.result("events_windowed").message()).startsWith("WINDOWED (0 loaded, 0 skipped");
            }
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-02T01:30:00Z")).fullRefresh(true).build()) {
                RunResult refresh = soma.run(Selection.all());
                assertThat(refresh.result("events_windowed").message()).startsWith("WINDOWED (0 loaded, 12 skipped: counts match");
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(144);
            }
        }
    }

    @Test
    void lateDataInsideTheLagIsPickedUpWhenItsWindowFallsDue() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = project("granularity=\"1h\" start=\"2024-01-01\" lag=\"1d\"");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-02T03:00:00Z")).build()) {
                assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
                assertThat(soma.windows("events_windowed")).hasSize(3);
            }
            // An event for 02:30 arrives late, while its window is still inside the lag.
            warehouse.execute(CHECK, "INSERT INTO raw.events VALUES (10000, TIMESTAMP '2024-01-01 03:30:00', 5)");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-02T05:00:00Z")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.result("events_windowed").message()).startsWith("WINDOWED (2 loaded");
            }
            assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed WHERE id = 10000")).isEqualTo(1);
            assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed"))
                    .isEqualTo(count(warehouse, "SELECT count(*) FROM raw.events WHERE created_at < TIMESTAMP '2024-01-01 05:00:00'"));
        }
    }

    @Test
    void changedDataInAFinishedWindowIsReloadedByWindowsAndTheLedgerShowsTheMismatch() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = project("granularity=\"1d\" start=\"2024-01-01\" timezone=\"UTC\"");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-03T00:00:00Z")).build()) {
                assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
            }
            // Changed upstream: one row more and one value different on the first day.
            warehouse.execute(CHECK, "UPDATE raw.events SET amount = 99 WHERE id = 3");
            warehouse.execute(CHECK, "INSERT INTO raw.events VALUES (20000, TIMESTAMP '2024-01-01 12:00:00', 1)");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-03T00:00:00Z")).build()) {
                assertThat(soma.run(Selection.all()).result("events_windowed").message()).startsWith("WINDOWED (0 loaded, 0 skipped");
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed WHERE amount = 99")).isZero();
                // The audit catches the mismatch before anything is reloaded.
                assertThat(soma.auditWindows("events_windowed", Instant.MIN, Instant.MAX))
                        .isEqualTo(new dev.soma.models.api.WindowAuditResult("events_windowed", 2, 1));
                WindowRecord flagged = soma.windows("events_windowed").get(0);
                assertThat(flagged.needsAttention()).isTrue();
                assertThat(flagged.state()).isEqualTo(WindowStatus.DONE);
                assertThat(flagged.start()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
                assertThat(flagged.sourceCount()).isEqualTo(145);
                assertThat(flagged.targetCount()).isEqualTo(144);
                assertThat(flagged.difference()).isEqualTo(1);
                assertThat(flagged.outOfAudit()).isTrue();
                assertThat(flagged.auditStatus()).isEqualTo("FAILED");
                assertThat(soma.windows("events_windowed").get(1).auditStatus()).isEqualTo("PASSED");
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).as("nothing loaded").isEqualTo(288);
            }
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-03T00:00:00Z"))
                    .windows(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-03T00:00:00Z")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.result("events_windowed").message()).startsWith("WINDOWED (1 loaded, 1 skipped: counts match");
                WindowRecord first = soma.windows("events_windowed").stream()
                        .filter(w -> w.start().equals(Instant.parse("2024-01-01T00:00:00Z"))).findFirst().orElseThrow();
                assertThat(first.auditResult()).contains("before the load the target had 144 rows");
                assertThat(first.sourceCount()).isEqualTo(145);
                assertThat(first.targetCount()).isEqualTo(145);
            }
            assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed WHERE amount = 99")).isEqualTo(1);
            assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(289);
        }
    }

    @Test
    void resetMarksARangeForTheNextRun() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = project("granularity=\"15m\" start=\"2024-01-01\"");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-01T02:00:00Z")).build()) {
                assertThat(soma.run(Selection.all()).result("events_windowed").message()).startsWith("WINDOWED (8 loaded");
                assertThat(soma.resetWindows("events_windowed", Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-01-01T01:00:00Z"))).isEqualTo(4);
                assertThat(soma.windows("events_windowed")).filteredOn(w -> w.state() == WindowStatus.PENDING).hasSize(4);
                assertThat(soma.run(Selection.all()).result("events_windowed").message())
                        .startsWith("WINDOWED (0 loaded, 4 skipped: counts match");
            }
        }
    }

    @Test
    void aFailingWindowIsMarkedFailedAndStopsOnlyTheLaterWindowsOfItsModel() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                    .file("sources.yml", SOURCES)
                    .file("marts/other.sql", "select 1 as x")
                    .file("marts/events_windowed.sql", """
                            <@config materialized="windowed" event_time="created_at" granularity="1h" start="2024-01-01"/>
                            select id, created_at,
                                   case when created_at >= TIMESTAMP '2024-01-01 02:00:00' then error('bad row ' || id) else amount end as amount
                            from ${source("raw", "events")}
                            where created_at >= ${window.start} and created_at < ${window.end}
                            """);
            // One thread: windows in strict order, so exactly the two after the failure wait.
            try (Soma soma = fixture.soma(warehouse).threads(1).clock(at("2024-01-01T05:00:00Z")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.result("other").status()).isEqualTo(NodeStatus.SUCCESS);
                assertThat(result.result("events_windowed").status()).isEqualTo(NodeStatus.ERROR);
                assertThat(result.result("events_windowed").error()).isInstanceOfSatisfying(ModelExecutionException.class,
                        e -> assertThat(e.model()).isEqualTo("events_windowed"));
                List<WindowRecord> windows = soma.windows("events_windowed");
                assertThat(windows).filteredOn(w -> w.state() == WindowStatus.DONE).hasSize(2);
                assertThat(windows.get(0).state()).isEqualTo(WindowStatus.FAILED);
                assertThat(windows.get(0).start()).isEqualTo(Instant.parse("2024-01-01T02:00:00Z"));
                assertThat(windows.get(0).error()).contains("bad row");
                assertThat(windows.get(0).attempt()).isEqualTo(1);
                assertThat(windows).filteredOn(w -> w.state() == WindowStatus.PENDING).hasSize(2);
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(12);
            }
        }
    }

    @Test
    void withSeveralThreadsAFailureStopsTheLaterWindowsNotYetBegunAndTheLedgerMatchesTheTarget() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                    .file("sources.yml", SOURCES)
                    .file("marts/events_windowed.sql", """
                            <@config materialized="windowed" event_time="created_at" granularity="1h" start="2024-01-01"/>
                            select id, created_at,
                                   case when created_at >= TIMESTAMP '2024-01-01 04:00:00'
                                         and created_at < TIMESTAMP '2024-01-01 05:00:00' then error('bad row ' || id)
                                        else amount end as amount
                            from ${source("raw", "events")}
                            where created_at >= ${window.start} and created_at < ${window.end}
                            """);
            try (Soma soma = fixture.soma(warehouse).threads(4).clock(at("2024-01-01T10:00:00Z")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.result("events_windowed").status()).isEqualTo(NodeStatus.ERROR);
                assertThat(result.result("events_windowed").error()).isInstanceOfSatisfying(ModelExecutionException.class,
                        e -> assertThat(e.model()).isEqualTo("events_windowed"));
                List<WindowRecord> windows = soma.windows("events_windowed");
                assertThat(windows).filteredOn(w -> w.state() == WindowStatus.FAILED).hasSize(1);
                assertThat(windows).hasSize(10).noneMatch(w -> w.state() == WindowStatus.IN_PROGRESS);
                Instant failed = Instant.parse("2024-01-01T04:00:00Z");
                for (WindowRecord w : windows) {
                    if (w.start().equals(failed)) {
                        assertThat(w.state()).isEqualTo(WindowStatus.FAILED);
                    } else if (w.start().isBefore(failed)) {
                        assertThat(w.state()).as("window before the failure " + w.start()).isEqualTo(WindowStatus.DONE);
                    } else if (w.start().equals(failed.plusSeconds(3600))) {
                        // In the failing window's batch, after it: never begun, given back.
                        assertThat(w.state()).as("window right after the failure").isEqualTo(WindowStatus.PENDING);
                        assertThat(w.attempt()).as("given back, not counted as an attempt").isZero();
                        assertThat(w.error()).as("why it was given back").isNotBlank();
                    } else {
                        // Other workers' batches in flight when the window failed finish; none is begun after.
                        assertThat(w.state()).as("later window " + w.start()).isIn(WindowStatus.DONE, WindowStatus.PENDING);
                    }
                }
                long doneRows = windows.stream().filter(w -> w.state() == WindowStatus.DONE).mapToLong(WindowRecord::targetCount).sum();
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(doneRows);
                assertThat(count(warehouse, "SELECT count(DISTINCT id) FROM analytics.events_windowed")).isEqualTo(doneRows);
            }
            // Fixed upstream: the next run retries the failed window and does the rest, nothing twice.
            fixture.file("marts/events_windowed.sql", """
                    <@config materialized="windowed" event_time="created_at" granularity="1h" start="2024-01-01"/>
                    select id, created_at, amount from ${source("raw", "events")}
                    where created_at >= ${window.start} and created_at < ${window.end}
                    """);
            try (Soma soma = fixture.soma(warehouse).threads(4).clock(at("2024-01-01T10:00:00Z")).build()) {
                assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
                assertThat(soma.windows("events_windowed")).allSatisfy(w -> assertThat(w.state()).isEqualTo(WindowStatus.DONE));
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(60);
                assertThat(count(warehouse, "SELECT count(DISTINCT id) FROM analytics.events_windowed")).isEqualTo(60);
            }
        }
    }

    @Test
    void twoRunsAtOnceOnOneSharedWarehouseProcessNoWindowTwice() throws Exception {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = project("granularity=\"15m\" start=\"2024-01-01\"");
            int runs = 3;
            // As an embedding app would: one Warehouse object, one Soma per thread, all on it at once.
            AllAtOnce.Outcome<RunResult> outcome = AllAtOnce.run(runs, (r, start) -> {
                try (Soma soma = fixture.soma(warehouse).threads(2).clock(at("2024-01-03T00:00:00Z")).build()) {
                    start.await();
                    return soma.run(Selection.all());
                }
            });
            List<RunResult> results = outcome.results();
            assertThat(outcome.errors()).isEmpty();
            assertThat(results).hasSize(runs).allSatisfy(r -> assertThat(r.isSuccess()).as(r.failures().toString()).isTrue());
            int loaded = 0;
            for (RunResult result : results) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("WINDOWED \\((\\d+) loaded")
                        .matcher(result.result("events_windowed").message());
                assertThat(m.find()).isTrue();
                loaded += Integer.parseInt(m.group(1));
            }
            assertThat(loaded).as("each of the 192 windows loaded by exactly one run").isEqualTo(192);
            assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(288);
            assertThat(count(warehouse, "SELECT count(DISTINCT id) FROM analytics.events_windowed")).isEqualTo(288);
            assertThat(count(warehouse, "SELECT count(*) FROM soma_meta.windows WHERE status = 'DONE'")).isEqualTo(192);
            assertThat(count(warehouse, "SELECT count(*) FROM soma_meta.runs WHERE status = 'success'")).isEqualTo(runs);
        }
    }

    @Test
    void aTemplateThatNeverReadsTheWindowLoadsWithAWarningInTheResult() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                    .file("sources.yml", SOURCES)
                    .file("marts/events_windowed.sql", """
                            <@config materialized="windowed" event_time="created_at" granularity="1d" start="2024-01-01"/>
                            select id, created_at from ${source("raw", "events")}
                            """);
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-03T00:00:00Z")).build()) {
                assertThat(soma.warnings()).singleElement().satisfies(w -> {
                    assertThat(w.file()).isEqualTo("marts/events_windowed.sql");
                    assertThat(w.model()).isEqualTo("events_windowed");
                    assertThat(w.message()).contains("never reads ${window.start} or ${window.end}")
                            .contains("every window would load every row");
                });
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).isTrue();
                assertThat(result.result("events_windowed").message()).contains("warning: windowed model events_windowed never reads");
                // Soma's own predicate still keeps each row in its window: nothing doubled.
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(288);
            }
            project("granularity=\"1d\" start=\"2024-01-01\"");
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.warnings()).isEmpty();
            }
        }
    }

    @Test
    void dayWindowsInANamedZoneAcrossTheAutumnDstChangeHold25HoursOfRowsAndNothingTwice() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            warehouse.createSchema("raw");
            // One event every 10 minutes (UTC) from 2024-10-25 22:00 to 2024-10-28 23:00.
            warehouse.execute(CHECK, """
                    CREATE OR REPLACE TABLE raw.events AS
                    SELECT i AS id, TIMESTAMP '2024-10-25 22:00:00' + i * INTERVAL 10 MINUTE AS created_at, 1 AS amount
                    FROM range(0, 450) t(i)
                    """);
            ProjectFixture fixture = project("granularity=\"1d\" start=\"2024-10-26\" timezone=\"Europe/Berlin\"");
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-10-29T00:00:00Z")).build()) {
                assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
                List<WindowRecord> windows = soma.windows("events_windowed").stream()
                        .sorted(java.util.Comparator.comparing(WindowRecord::start)).toList();
                // Local midnights: 26 Oct (CEST, UTC+2), 27 Oct (the 25-hour day), 28 Oct (CET, UTC+1).
                assertThat(windows).extracting(WindowRecord::start).containsExactly(Instant.parse("2024-10-25T22:00:00Z"),
                        Instant.parse("2024-10-26T22:00:00Z"), Instant.parse("2024-10-27T23:00:00Z"));
                assertThat(windows).extracting(WindowRecord::targetCount).containsExactly(144L, 150L, 144L);
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(438);
                assertThat(count(warehouse, "SELECT count(DISTINCT id) FROM analytics.events_windowed")).isEqualTo(438);
            }
        }
    }

    @Test
    void maxWindowsPerRunBoundsARunAndTheNextRunGoesOnInOrder() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = project("granularity=\"1h\" start=\"2024-01-01\" max_windows_per_run=\"3\"");
            try (Soma soma = fixture.soma(warehouse).threads(2).clock(at("2024-01-01T05:00:00Z")).build()) {
                RunResult first = soma.run(Selection.all());
                assertThat(first.isSuccess()).isTrue();
                assertThat(first.result("events_windowed").message()).as("the note that the run stopped early")
                        .contains("max_windows_per_run");
                assertThat(soma.windows("events_windowed")).filteredOn(w -> w.state() == WindowStatus.DONE)
                        .extracting(WindowRecord::start).containsExactlyInAnyOrder(Instant.parse("2024-01-01T00:00:00Z"),
                                Instant.parse("2024-01-01T01:00:00Z"), Instant.parse("2024-01-01T02:00:00Z"));
                assertThat(soma.run(Selection.all()).result("events_windowed").message()).startsWith("WINDOWED (2 loaded");
                assertThat(count(warehouse, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(30);
            }
        }
    }

    @Test
    void anEventTimeThatIsNotAnOutputColumnNamesTheModelAndTheColumns() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                    .file("sources.yml", SOURCES)
                    .file("marts/events_windowed.sql", """
                            <@config materialized="windowed" event_time="event_at" granularity="1h" start="2024-01-01"/>
                            select id, created_at from ${source("raw", "events")}
                            where created_at >= ${window.start} and created_at < ${window.end}
                            """);
            try (Soma soma = fixture.soma(warehouse).clock(at("2024-01-01T05:00:00Z")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.result("events_windowed").status()).isEqualTo(NodeStatus.ERROR);
                assertThat(result.result("events_windowed").error()).isInstanceOfSatisfying(WindowConfigException.class, e -> {
                    assertThat(e.model()).isEqualTo("events_windowed");
                    assertThat(e.key()).isEqualTo("event_time");
                    assertThat(e.value()).isEqualTo("event_at");
                    assertThat(e.location().file()).isEqualTo("marts/events_windowed.sql");
                    // The output's columns, so the user can pick one.
                    assertThat(e.getMessage()).contains("(columns: id, created_at)");
                });
            }
        }
    }

    @Test
    void badWindowConfigFailsTheLoadWithFileAndFix() {
        ProjectFixture fixture = project("granularity=\"2w\" start=\"2024-01-01\"");
        assertThatThrownBy(() -> Soma.builder().project(fixture.root()).build())
                .isInstanceOfSatisfying(WindowConfigException.class, e -> {
                    assertThat(e.location().file()).isEqualTo("marts/events_windowed.sql");
                    assertThat(e.model()).isEqualTo("events_windowed");
                    assertThat(e.key()).isEqualTo("granularity");
                    assertThat(e.value()).isEqualTo("2w");
                });
        project("granularity=\"1h\" start=\"2024-01-01\" lag=\"-2h\"");
        assertThatThrownBy(() -> Soma.builder().project(fixture.root()).build())
                .isInstanceOfSatisfying(WindowConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("lag");
                    assertThat(e.value()).isEqualTo("-2h");
                });
        project("granularity=\"1h\" start=\"2024-01-01\" stale_lok_after=\"1h\"");
        assertThatThrownBy(() -> Soma.builder().project(fixture.root()).build())
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.model()).isEqualTo("events_windowed");
                    assertThat(e.location().file()).isEqualTo("marts/events_windowed.sql");
                    assertThat(e.detail()).contains("'stale_lok_after'");
                });
    }

    @Test
    void windowOutsideAWindowedModelSaysWhatToDo() {
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", SOURCES)
                .file("marts/plain.sql", "select * from ${source(\"raw\", \"events\")} where created_at >= ${window.start}");
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            events(warehouse);
            try (Soma soma = fixture.soma(warehouse).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.result("plain").error()).isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.model()).isEqualTo("plain");
                    assertThat(e.location().file()).isEqualTo("marts/plain.sql");
                });
                // Golden: what a user reads when a plain model uses ${window}.
                assertThat(result.result("plain").message()).contains("window is only defined in a windowed model; "
                        + "set materialized=\"windowed\"");
            }
        }
    }
}
