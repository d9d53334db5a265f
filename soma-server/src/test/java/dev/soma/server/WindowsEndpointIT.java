package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /windows} over real HTTP, on a real DuckDB file with a windowed model built, one window failed. */
class WindowsEndpointIT {

    @TempDir
    Path dir;

    @Test
    void listsTheLedgerWithFailuresFirstFiltersByStateAndRejectsWhatIsNotWindowed() throws IOException {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("marts"));
        Files.writeString(project.resolve("soma_project.yml"), "name: windows_fixture\nmodels:\n  marts: {schema: analytics}\n");
        Files.writeString(project.resolve("sources.yml"), "sources:\n  - name: raw\n    tables:\n      - name: events\n");
        Files.writeString(project.resolve("marts/events_w.sql"), """
                <@config materialized="windowed" event_time="created_at" granularity="1h" start="2024-01-01"/>
                select id, created_at,
                       case when created_at >= TIMESTAMP '2024-01-01 03:00:00' then error('bad row ' || id) else id end as v
                from ${source("raw", "events")}
                where created_at >= ${window.start} and created_at < ${window.end}
                """);
        Files.writeString(project.resolve("marts/plain.sql"), "select 1 as x\n");
        try (Warehouse warehouse = Warehouse.open(dir.resolve("soma.duckdb"))) {
            warehouse.createSchema("raw");
            warehouse.execute(SqlOwner.loader("fixture"), "CREATE TABLE raw.events AS SELECT i AS id, "
                    + "TIMESTAMP '2024-01-01 00:10:00' + i * INTERVAL 20 MINUTE AS created_at FROM range(0, 15) t(i)");
            try (Soma soma = Soma.builder().project(project).warehouse(warehouse).threads(1)
                    .targetDir(project.resolve("target"))
                    .clock(Clock.fixed(Instant.parse("2024-01-01T05:00:00Z"), ZoneOffset.UTC)).build()) {
                soma.run(Selection.all());
                try (SomaServer server = SomaServer.builder().soma(soma).warehouse(warehouse).port(0).build().start()) {
                    Http http = new Http(server.uri());

                    Http.Answer all = http.get("/windows");
                    assertThat(all.status()).isEqualTo(200);
                    JsonNode body = all.json();
                    assertThat(body.at("/counts/total").asLong()).isEqualTo(5);
                    assertThat(body.at("/counts/done").asLong()).isEqualTo(3);
                    assertThat(body.at("/counts/failed").asLong()).isEqualTo(1);
                    assertThat(body.at("/counts/pending").asLong()).isEqualTo(1);
                    JsonNode first = body.get("windows").get(0);
                    assertThat(first.get("model").asText()).isEqualTo("events_w");
                    assertThat(first.get("state").asText()).isEqualTo("FAILED");
                    assertThat(first.get("start").asText()).isEqualTo("2024-01-01T03:00:00Z");
                    assertThat(first.get("error").asText()).contains("bad row");
                    assertThat(first.get("attempt").asInt()).isEqualTo(1);

                    JsonNode done = http.get("/windows?model=events_w&state=done&limit=2").json();
                    assertThat(done.get("model").asText()).isEqualTo("events_w");
                    assertThat(done.get("truncated").asBoolean()).isTrue();
                    assertThat(done.get("windows")).hasSize(2).allSatisfy(w -> {
                        assertThat(w.get("state").asText()).isEqualTo("DONE");
                        assertThat(w.get("source_count").asLong()).isEqualTo(3);
                        assertThat(w.get("target_count").asLong()).isEqualTo(3);
                        assertThat(w.get("audit_status").asText()).isEqualTo("PASSED");
                    });

                    Http.Answer plain = http.get("/windows?model=plain");
                    assertThat(plain.status()).isEqualTo(404);
                    assertThat(plain.json().get("message").asText()).contains("'plain' is not windowed");
                    Http.Answer unknown = http.get("/windows?model=events_x");
                    assertThat(unknown.status()).isEqualTo(404);
                    assertThat(unknown.json().get("message").asText()).contains("events_w");
                    assertThat(http.get("/windows?state=sideways").status()).isEqualTo(400);
                }
            }
        }
    }
}
