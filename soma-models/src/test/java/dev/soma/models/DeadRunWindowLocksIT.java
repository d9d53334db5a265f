package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.api.WindowNotice;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowResetResult;
import dev.soma.models.api.WindowStatus;
import dev.soma.models.internal.window.LiveRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks left by a run that is gone: on DuckDB one process holds the file, so a lock of a run not live in
 * this JVM belongs to a dead (killed) process and is released at the start of the next run, at once, and
 * the window re-done; a lock of a run live in this JVM is left alone. Both are said in the result.
 */
class DeadRunWindowLocksIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");
    private static final Clock NOW = Clock.fixed(Instant.parse("2024-01-01T02:00:00Z"), ZoneOffset.UTC);
    private static final Instant KILLED = Instant.parse("2024-01-01T00:30:00Z");

    @TempDir
    Path dir;

    private ProjectFixture project() {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", WindowedModelIT.SOURCES)
                .file("marts/events_windowed.sql", """
                        <@config materialized="windowed" event_time="created_at" granularity="15m" start="2024-01-01"/>
                        select id, created_at, amount
                        from ${source("raw", "events")}
                        where created_at >= ${window.start} and created_at < ${window.end}
                        """);
    }

    /** Loads the 8 windows, then leaves one as a run killed a minute ago would: locked, its rows damaged. */
    private static void killedRunLeftALock(Warehouse warehouse, ProjectFixture fixture, String runId) {
        WindowedModelIT.events(warehouse);
        try (Soma soma = fixture.soma(warehouse).clock(NOW).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
        }
        warehouse.execute(CHECK, "UPDATE soma_meta.windows SET status = 'IN_PROGRESS', run_id = '" + runId + "', "
                + "locked_at = TIMESTAMP '2024-01-01 01:59:00', phase_completed = 'staged' "
                + "WHERE window_start = TIMESTAMP '2024-01-01 00:30:00'");
        warehouse.execute(CHECK, "UPDATE analytics.events_windowed SET amount = -1 "
                + "WHERE created_at >= TIMESTAMP '2024-01-01 00:30:00' AND created_at < TIMESTAMP '2024-01-01 00:45:00'");
    }

    @Test
    void aLockOfADeadRunIsReleasedAtOnceAndTheWindowRedoneAndSaid() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture fixture = project();
            killedRunLeftALock(warehouse, fixture, "killed-run");
            // The next run comes a minute after the kill: far from stale_lock_after (1h), yet the lock is released.
            try (Soma soma = fixture.soma(warehouse).clock(NOW).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                NodeResult node = result.result("events_windowed");
                assertThat(node.message()).contains("1 lock of dead or stale runs released and re-done")
                        .contains("run killed-run is not running any more");
                assertThat(result.windowNotices()).singleElement().satisfies(notice -> {
                    assertThat(notice.action()).isEqualTo(WindowNotice.Action.RELEASED_REDONE);
                    assertThat(notice.start()).isEqualTo(KILLED);
                    assertThat(notice.runId()).isEqualTo("killed-run");
                    assertThat(notice.reason()).contains("killed or crashed").contains("phase staged");
                });
                WindowRecord killed = soma.windows("events_windowed").stream()
                        .filter(w -> w.start().equals(KILLED)).findFirst().orElseThrow();
                assertThat(killed.state()).isEqualTo(WindowStatus.DONE);
                assertThat(killed.attempt()).isEqualTo(1);
                assertThat(killed.error()).contains("lock of run killed-run").contains("not running any more");
            }
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_windowed WHERE amount = -1"))
                    .as("the damaged rows were replaced").isZero();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_windowed")).isEqualTo(12);
        }
    }

    @Test
    void aLockOfARunLiveInThisJvmIsLeftAloneAndTheSkipIsSaid() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture fixture = project();
            killedRunLeftALock(warehouse, fixture, "live-run");
            // As another Soma instance on this warehouse would, in the middle of its run.
            try (LiveRuns.Entry live = LiveRuns.enter("live-run");
                 Soma soma = fixture.soma(warehouse).clock(NOW).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).isTrue();
                assertThat(result.result("events_windowed").message()).contains("1 locked by another run")
                        .contains("locked by run live-run, which is still running");
                assertThat(result.windowNotices()).singleElement().satisfies(notice -> {
                    assertThat(notice.action()).isEqualTo(WindowNotice.Action.SKIPPED_LOCKED);
                    assertThat(notice.start()).isEqualTo(KILLED);
                    assertThat(notice.runId()).isEqualTo("live-run");
                });
                assertThat(soma.windows("events_windowed")).filteredOn(w -> w.start().equals(KILLED))
                        .singleElement().satisfies(w -> assertThat(w.state()).isEqualTo(WindowStatus.IN_PROGRESS));
            }
        }
    }

    @Test
    void resetLeavesLockedWindowsAloneAndSaysSoUnlessForced() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            ProjectFixture fixture = project();
            killedRunLeftALock(warehouse, fixture, "live-run");
            try (LiveRuns.Entry live = LiveRuns.enter("live-run");
                 Soma soma = fixture.soma(warehouse).clock(NOW).build()) {
                Instant from = Instant.parse("2024-01-01T00:00:00Z");
                Instant to = Instant.parse("2024-01-01T01:00:00Z");
                assertThat(soma.resetWindows("events_windowed", from, to, false))
                        .isEqualTo(new WindowResetResult("events_windowed", 3, 1));
                assertThat(soma.resetWindows("events_windowed", from, to, true))
                        .as("the one locked window").isEqualTo(new WindowResetResult("events_windowed", 1, 0));
                WindowRecord taken = soma.windows("events_windowed").stream()
                        .filter(w -> w.start().equals(KILLED)).findFirst().orElseThrow();
                assertThat(taken.state()).isEqualTo(WindowStatus.PENDING);
                assertThat(taken.runId()).isNull();
                assertThat(taken.error()).contains("lock of run live-run taken by reset --force");
                RunResult redo = soma.run(Selection.all());
                assertThat(redo.isSuccess()).isTrue();
                assertThat(soma.windows("events_windowed")).allSatisfy(w -> assertThat(w.state()).isEqualTo(WindowStatus.DONE));
            }
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events_windowed WHERE amount = -1")).isZero();
        }
    }
}
