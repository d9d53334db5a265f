package dev.soma.cli.windows;

import dev.soma.cli.CliRun;
import dev.soma.cli.ProjectFixture;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code soma windows}, {@code soma windows reset} and {@code --windows}, as a user types them. */
class WindowsCommandIT extends ProjectFixture {

    @BeforeEach
    void writeProject() {
        write("soma_project.yml", """
                name: cli_windows
                models:
                  marts: {materialized: table, schema: analytics}
                """);
        // Events every hour of the three days before today (UTC); two day windows are due.
        write("marts/events_w.sql", """
                <@config materialized="windowed" event_time="created_at" granularity="1d" start="-2d"/>
                select * from (
                  select range as id, TIMESTAMP '%s 00:00:00' + range * INTERVAL 1 HOUR as created_at from range(72)
                ) where created_at >= ${window.start} and created_at < ${window.end}
                """.formatted(LocalDate.now(ZoneOffset.UTC).minusDays(3)));
    }

    @Test
    void runLoadsTheWindowsAndWindowsListsThem() {
        CliRun run = soma("run", "-v");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("WINDOWED (2 loaded, 0 skipped: counts match; 48 rows)");
        CliRun windows = soma("windows", "events_w");
        assertThat(windows.exitCode()).as(windows.err()).isZero();
        assertThat(windows.out()).contains("events_w: 2 windows, 2 done, 0 missing (pending), 0 failed, 0 locked, 0 out of audit")
                .contains("STATE").contains("DONE").contains("PASSED");

        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        CliRun reset = soma("windows", "reset", "events_w", "--from", yesterday, "--to", today);
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("reset 1 window of events_w to pending");
        assertThat(soma("windows").out()).contains("1 missing (pending)");

        CliRun audit = soma("windows", "audit", "events_w");
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("audited 1 finished window of events_w: 0 out of audit");
        assertThat(soma("windows", "audit", "nope").err()).contains("no model, seed or source called 'nope'");

        CliRun again = soma("run", "-v", "--windows", LocalDate.now(ZoneOffset.UTC).minusDays(2) + ".." + today);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("WINDOWED (0 loaded, 2 skipped: counts match; 0 rows)");
    }

    @Test
    void aKilledRunsLockIsReleasedByTheNextRunWhichSaysSoAndResetForceTakesALockedWindow() {
        assertThat(soma("run").exitCode()).isZero();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        lockAsAKilledRun(yesterday);
        CliRun run = soma("run");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("window " + yesterday + "T00:00:00Z.." + today + "T00:00:00Z re-done (lock of run "
                + "killed-run released): run killed-run is not running any more (killed or crashed)");
        assertThat(soma("windows").out()).contains("2 done").contains("0 locked");

        lockAsAKilledRun(yesterday);
        CliRun reset = soma("windows", "reset", "events_w", "--from", yesterday, "--to", today);
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("reset 0 windows").contains("1 locked window was left alone")
                .contains("--force takes it too");
        CliRun forced = soma("windows", "reset", "events_w", "--from", yesterday, "--to", today, "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("reset 1 window of events_w to pending").doesNotContain("left alone");
        assertThat(soma("windows").out()).contains("1 missing (pending)").contains("0 locked");
    }

    /** Leaves the window starting on {@code day} as a run killed a moment ago would: locked by it. */
    private void lockAsAKilledRun(String day) {
        try (Warehouse warehouse = Warehouse.open(java.nio.file.Path.of(db))) {
            warehouse.execute(SqlOwner.loader("test"), "UPDATE soma_meta.windows SET status = 'IN_PROGRESS', "
                    + "run_id = 'killed-run', locked_at = now()::TIMESTAMP, phase_completed = 'staged' "
                    + "WHERE window_start = TIMESTAMP '" + day + " 00:00:00'");
        }
    }

    @Test
    void aBadRangeIsOneLineWithTheFix() {
        CliRun run = soma("run", "--windows", "2024-01-05");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--windows '2024-01-05' is not a range; write FROM..TO").doesNotContain("Exception");
        CliRun windows = soma("windows", "nope");
        assertThat(windows.exitCode()).isEqualTo(2);
        assertThat(windows.err()).contains("no model, seed or source called 'nope'");
    }

    @Test
    void aTemplateThatNeverReadsTheWindowIsAWarningOnStderrAndInTheModelsResult() throws IOException {
        write("marts/events_w.sql", """
                <@config materialized="windowed" event_time="created_at" granularity="1d" start="-2d"/>
                select range as id, TIMESTAMP '%s 00:00:00' + range * INTERVAL 1 HOUR as created_at from range(72)
                """.formatted(LocalDate.now(ZoneOffset.UTC).minusDays(3)));
        CliRun run = soma("run", "-v");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).contains("warning: marts/events_w.sql: windowed model events_w never reads ${window.start} "
                + "or ${window.end}, so every window would load every row");
        assertThat(run.out()).contains("WINDOWED (2 loaded");
        assertThat(soma("compile").err()).contains("warning: marts/events_w.sql: windowed model events_w never reads");
    }
}
