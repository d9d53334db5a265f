package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /jobs} refuses what no worker would ever run: unknown kinds, kinds that are not strings, and
 * numbers that are not JSON integers in range (no coercion of "high" to 0 or 1e999999 to 2147483647).
 */
class JobsEnqueueIT {

    private static final String TOKEN = "t0ken";

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inMemory()
            // As with 'soma serve': the queue has no handlers; the workers live elsewhere and the app names their kinds.
            .queue(warehouse -> JobQueue.builder().store(JobStores.duckdb(warehouse)).build())
            .options(server -> server.jobKinds(List.of("echo", "sleep")).token(TOKEN));

    @Test
    void aKnownKindWithIntegerNumbersIsEnqueued() {
        Http.Answer created = fixture.http().post("/jobs", "{\"kind\":\"sleep\",\"payload\":{\"ms\":1},\"priority\":-3,\"max_attempts\":2}", TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode job = fixture.http().get("/jobs/" + created.json().get("id").asLong()).json();
        assertThat(job.get("priority").asInt()).isEqualTo(-3);
        assertThat(job.get("max_attempts").asInt()).isEqualTo(2);
    }

    @Test
    void unknownKindsAreRefusedWithTheKnownOnes() {
        long before = total();
        for (String body : List.of("{\"kind\":\"rm -rf /\"}", "{\"kind\":\"ech\"}", "{\"kind\":1}", "{\"kind\":[\"echo\"]}",
                "{\"kind\":true}", "{\"payload\":{}}")) {
            Http.Answer answer = fixture.http().post("/jobs", body, TOKEN);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.json().get("message").asText()).as(body).contains("kind");
            assertThat(answer.json().get("known").toString()).as(body).contains("echo", "sleep");
        }
        assertThat(fixture.http().post("/jobs", "{\"kind\":\"ech\"}", TOKEN).json().get("message").asText()).contains("echo");
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void numbersThatAreNotIntegersInRangeAreRefusedNamingTheField() {
        long before = total();
        List<List<String>> cases = List.of(
                List.of("\"priority\":\"high\"", "priority"),
                List.of("\"priority\":1e999999", "priority"),
                List.of("\"priority\":1.5", "priority"),
                List.of("\"priority\":99999999999", "priority"),
                List.of("\"priority\":true", "priority"),
                List.of("\"max_attempts\":\"3\"", "max_attempts"),
                List.of("\"max_attempts\":0", "max_attempts"),
                List.of("\"max_attempts\":-1e999999", "max_attempts"),
                List.of("\"unique_key\":5", "unique_key"));
        for (List<String> c : cases) {
            String body = "{\"kind\":\"echo\"," + c.get(0) + "}";
            Http.Answer answer = fixture.http().post("/jobs", body, TOKEN);
            assertThat(answer.status()).as(body + " -> " + answer.body()).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
            assertThat(answer.json().get("message").asText()).as(body).startsWith(c.get(1) + " must");
        }
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void withoutKnownKindsNothingIsAccepted() {
        try (SomaServer blind = SomaServer.builder().soma(fixture.soma()).warehouse(fixture.warehouse()).jobQueue(fixture.queue()).port(0).token(TOKEN)
                .build().start()) {
            Http.Answer answer = new Http(blind.uri()).post("/jobs", "{\"kind\":\"echo\"}", TOKEN);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().get("message").asText()).contains("jobKinds");
        }
    }

    private long total() {
        return fixture.http().get("/jobs?limit=500").json().get("jobs").size();
    }
}
