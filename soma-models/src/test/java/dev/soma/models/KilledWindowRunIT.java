package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A windowed run killed with SIGKILL in the middle of a window (a second JVM), then run again: no
 * duplicate rows, no missing window, and the killed window's lock released at once (the killed run is dead) and the window redone.
 */
class KilledWindowRunIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    @Test
    void aKilledWindowIsReleasedAndRedoneWithoutDuplicatesOrGaps() throws Exception {
        Path db = dir.resolve("killed.duckdb");
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(8));
        Instant slow = start.plus(Duration.ofHours(3));
        String startText = LocalDateTime.ofInstant(start, ZoneOffset.UTC).toString();
        try (Warehouse warehouse = Warehouse.open(db)) {
            warehouse.createSchema("raw");
            warehouse.execute(CHECK, "CREATE TABLE raw.events AS SELECT i AS id, TIMESTAMP '"
                    + startText.replace('T', ' ') + "' + i * INTERVAL 7 MINUTE AS created_at FROM range(0, 200) t(i)");
        }
        String slowLiteral = "TIMESTAMP '" + LocalDateTime.ofInstant(slow, ZoneOffset.UTC).toString().replace('T', ' ') + ":00'";
        String model = """
                <@config materialized="windowed" event_time="created_at" granularity="1h" start="%s"/>
                select id, created_at from ${source("raw", "events")}
                where created_at >= ${window.start} and created_at < ${window.end}
                """.formatted(startText);
        // The fourth window takes minutes: a cross join of 10^11 rows, far from done when the kill comes.
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", WindowedModelIT.SOURCES)
                .file("marts/events_w.sql", model + """
                        <#if window.start == "%s">
                          and (select sum(a.range + b.range) from range(1000000) a, range(100000) b) > 0
                        </#if>
                        """.formatted(slowLiteral));
        SecondJvm.killWhileRunning(KilledRunIT.Victim.class, List.of(fixture.root().toString(), db.toString()),
                "started events_w", 4000, "the slow window is still running when killed");
        fixture.file("marts/events_w.sql", model);
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status = 'IN_PROGRESS' AND window_start = "
                    + slowLiteral)).as("the killed window is left locked").isEqualTo(1);
            // The killed run loaded its windows in batches: whatever it had committed is DONE with its rows in the
            // target, the batch it was in (the slow window's) is still locked, and nothing of that batch is in.
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_w")).isEqualTo(warehouse.queryLong(CHECK,
                    "SELECT coalesce(sum(target_count), 0) FROM soma_meta.windows WHERE status = 'DONE'"));
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status NOT IN ('DONE', 'IN_PROGRESS')"))
                    .isZero();
            // The next run comes at once, long before stale_lock_after (1h): the killed run is dead, its lock released.
            try (Soma soma = fixture.soma(warehouse).clock(Clock.fixed(Instant.now(), ZoneOffset.UTC)).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                assertThat(result.result("events_w").message()).containsPattern("\\d+ locks? of dead or stale runs released and re-done");
                assertThat(result.windowNotices()).isNotEmpty().allSatisfy(notice -> {
                    assertThat(notice.action()).isEqualTo(dev.soma.models.api.WindowNotice.Action.RELEASED_REDONE);
                    assertThat(notice.reason()).contains("not running any more");
                });
                assertThat(result.windowNotices()).anyMatch(notice -> notice.start().equals(slow));
                List<WindowRecord> windows = soma.windows("events_w");
                assertThat(windows).allSatisfy(w -> assertThat(w.state()).isEqualTo(WindowStatus.DONE));
                WindowRecord killed = windows.stream().filter(w -> w.start().equals(slow)).findFirst().orElseThrow();
                assertThat(killed.attempt()).isEqualTo(1);
                assertThat(killed.error()).contains("lock of run").contains("released by a later run: that run is not running any more");
                Instant lastEnd = windows.stream().map(WindowRecord::end).max(Instant::compareTo).orElseThrow();
                for (Instant t = start; t.isBefore(lastEnd); t = t.plus(Duration.ofHours(1))) {
                    Instant at = t;
                    assertThat(windows).as("window at " + at).anyMatch(w -> w.start().equals(at));
                }
                String end = "TIMESTAMP '" + LocalDateTime.ofInstant(lastEnd, ZoneOffset.UTC).toString().replace('T', ' ') + ":00'";
                long expected = warehouse.queryLong(CHECK, "SELECT count(*) FROM raw.events WHERE created_at < " + end);
                assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_w")).isEqualTo(expected);
                assertThat(warehouse.queryLong(CHECK, "SELECT count(DISTINCT id) FROM analytics.events_w")).isEqualTo(expected);
            }
        }
    }

    /**
     * The set-based first build (one INSERT for a whole batch of windows) killed in its INSERT: nothing of the batch
     * is in, its windows stay locked by the dead run, and the next run releases and loads them, each row once.
     */
    @Test
    void aKilledSetBasedBatchLeavesNothingHalfWrittenAndTheNextRunLoadsIt() throws Exception {
        Path db = dir.resolve("killed-batch.duckdb");
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(8));
        String startText = LocalDateTime.ofInstant(start, ZoneOffset.UTC).toString();
        try (Warehouse warehouse = Warehouse.open(db)) {
            warehouse.createSchema("raw");
            warehouse.execute(CHECK, "CREATE TABLE raw.events AS SELECT i AS id, TIMESTAMP '"
                    + startText.replace('T', ' ') + "' + i * INTERVAL 7 MINUTE AS created_at FROM range(0, 200) t(i)");
            // The source takes minutes to read (a cross join of 10^11 rows), far from done when the kill comes. The
            // model only filters it on event_time, so its windows are loaded set-based, all eight in one INSERT.
            warehouse.execute(CHECK, "CREATE VIEW raw.slow_events AS SELECT * FROM raw.events "
                    + "WHERE (SELECT sum(a.range + b.range) FROM range(1000000) a, range(100000) b) > 0");
        }
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", """
                        sources:
                          - name: raw
                            tables:
                              - name: slow_events
                        """)
                .file("marts/events_w.sql", """
                        <@config materialized="windowed" event_time="created_at" granularity="1h" start="%s"/>
                        select id, created_at from ${source("raw", "slow_events")}
                        where created_at >= ${window.start} and created_at < ${window.end}
                        """.formatted(startText));
        SecondJvm.killWhileRunning(KilledRunIT.Victim.class, List.of(fixture.root().toString(), db.toString()),
                "started events_w", 4000, "the batch's INSERT is still running when killed");
        try (Warehouse warehouse = Warehouse.open(db)) {
            long windows = warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows");
            assertThat(windows).isGreaterThanOrEqualTo(8);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.windows WHERE status = 'IN_PROGRESS'"))
                    .as("the whole batch is left locked").isEqualTo(windows);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_w")).as("nothing of the batch is in").isZero();
            warehouse.execute(CHECK, "CREATE OR REPLACE VIEW raw.slow_events AS SELECT * FROM raw.events");
            try (Soma soma = fixture.soma(warehouse).clock(Clock.fixed(Instant.now(), ZoneOffset.UTC)).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                assertThat(result.windowNotices()).hasSizeGreaterThanOrEqualTo((int) windows)
                        .allSatisfy(notice -> assertThat(notice.action()).isEqualTo(dev.soma.models.api.WindowNotice.Action.RELEASED_REDONE));
                List<WindowRecord> records = soma.windows("events_w");
                assertThat(records).allSatisfy(w -> {
                    assertThat(w.state()).isEqualTo(WindowStatus.DONE);
                    assertThat(w.attempt()).isEqualTo(1);
                });
                Instant lastEnd = records.stream().map(WindowRecord::end).max(Instant::compareTo).orElseThrow();
                String end = "TIMESTAMP '" + LocalDateTime.ofInstant(lastEnd, ZoneOffset.UTC).toString().replace('T', ' ') + ":00'";
                long expected = warehouse.queryLong(CHECK, "SELECT count(*) FROM raw.events WHERE created_at < " + end);
                assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_w")).isEqualTo(expected);
                assertThat(warehouse.queryLong(CHECK, "SELECT count(DISTINCT id) FROM analytics.events_w")).isEqualTo(expected);
                assertThat(warehouse.queryLong(CHECK, "SELECT sum(target_count) FROM soma_meta.windows")).isEqualTo(expected);
            }
        }
    }
}
