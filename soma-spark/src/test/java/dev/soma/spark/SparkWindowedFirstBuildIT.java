package dev.soma.spark;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.api.WindowRecord;
import dev.soma.models.api.WindowStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A windowed model that only filters its source on event_time, first built on Spark + Iceberg: every window
 * loaded in one statement, each window's count and audit in the ledger as the window-by-window paths write them.
 */
class SparkWindowedFirstBuildIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");

    @TempDir
    Path project;

    @Test
    void aFirstBuildLoadsEveryWindowAtOnceWithItsCountsAndAudit() throws IOException {
        try (Warehouse warehouse = SharedSpark.warehouse()) {
            warehouse.createSchema("win_raw");
            // Every 5 hours from Jan 1st, 40 rows; Jan 4th has none (a hole of 24 hours).
            warehouse.execute(OWNER, "CREATE OR REPLACE TABLE iceberg.win_raw.events USING iceberg AS SELECT id, "
                    + "TIMESTAMP'2024-01-01 01:00:00' + make_interval(0, 0, 0, 0, CAST(id * 5 AS INT), 0, 0) AS created_at, id % 4 AS amount "
                    + "FROM range(0, 40) WHERE NOT (id BETWEEN 15 AND 18)");
            write("soma_project.yml", """
                    name: win
                    version: 1.0.0
                    models:
                      marts: {schema: win_marts}
                    targets:
                      spark: {engine: spark, master: "local[2]"}
                    default_target: spark
                    """);
            write("sources.yml", """
                    sources:
                      - name: raw
                        schema: win_raw
                        tables:
                          - name: events
                    """);
            write("marts/events_d.sql", """
                    <@config materialized="windowed" event_time="created_at" granularity="1d" start="2024-01-01"/>
                    select id, created_at, amount from ${source("raw", "events")}
                    where created_at >= ${window.start} and created_at < ${window.end}
                    """);
            Instant now = Instant.parse("2024-01-10T00:00:00Z");
            try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(2).clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                long rows = warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg.win_raw.events");
                assertThat(warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg.win_marts.events_d")).isEqualTo(rows);
                List<WindowRecord> windows = soma.windows("events_d");
                assertThat(windows).hasSize(9).allSatisfy(w -> {
                    assertThat(w.state()).isEqualTo(WindowStatus.DONE);
                    assertThat(w.auditStatus()).isEqualTo("PASSED");
                    assertThat(w.sourceCount()).isEqualTo(w.targetCount());
                    assertThat(w.difference()).isZero();
                    assertThat(w.percentage()).isZero();
                });
                assertThat(windows.stream().mapToLong(WindowRecord::targetCount).sum()).isEqualTo(rows);
                for (WindowRecord w : windows) {
                    long inWindow = warehouse.queryLong(OWNER, "SELECT count(*) FROM iceberg.win_raw.events WHERE created_at >= TIMESTAMP'"
                            + w.start().toString().replace('T', ' ').replace("Z", "") + "' AND created_at < TIMESTAMP'"
                            + w.end().toString().replace('T', ' ').replace("Z", "") + "'");
                    assertThat(w.targetCount()).as("window " + w.start()).isEqualTo(inWindow);
                    assertThat(w.auditResult()).isEqualTo(inWindow == 0 ? "source and target empty" : "source " + inWindow
                            + " rows, target " + inWindow + " rows; the target had no row in the window before the load");
                    assertThat(w.phase()).isEqualTo(inWindow == 0 ? "skipped: counts match" : "loaded");
                }
                assertThat(windows).anyMatch(w -> w.targetCount() == 0);
            }
        }
    }

    private void write(String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
