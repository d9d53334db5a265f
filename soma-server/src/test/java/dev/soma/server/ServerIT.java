package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every endpoint over real HTTP against a real (file) DuckDB with a built project, plus hostile input. */
class ServerIT {

    private static final String TOKEN = "s3cret-token";

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inFile("soma.duckdb")
            .echoJobQueue("{\"n\":1}")
            .options(server -> server.token(TOKEN));

    @Test
    void healthShowsTheDatabaseAndTheLastRun() {
        Http.Answer answer = fixture.http().get("/health");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("ok");
        assertThat(answer.json().at("/database/reachable").asBoolean()).isTrue();
        assertThat(answer.json().at("/last_run/status").asText()).isEqualTo("success");
    }

    @Test
    void statsCountRunsAndJobs() {
        JsonNode stats = fixture.http().get("/stats").json();
        assertThat(stats.at("/runs/count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.at("/runs/failed").asLong()).isZero();
        assertThat(stats.at("/jobs/total").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void runsListAndOneRunWithItsNodes() {
        JsonNode runs = fixture.http().get("/runs").json().get("runs");
        assertThat(runs).isNotEmpty();
        String id = runs.get(0).get("run_id").asText();
        JsonNode run = fixture.http().get("/runs/" + id).json();
        assertThat(run.at("/run/run_id").asText()).isEqualTo(id);
        List<String> names = new ArrayList<>();
        run.get("nodes").forEach(node -> names.add(node.get("name").asText()));
        assertThat(names).contains("stg_books", "dim_books");
        assertThat(fixture.http().get("/runs/nope").status()).isEqualTo(404);
    }

    @Test
    void modelsListAndOneModelWithDocsColumnsTestsAndNeighbours() {
        JsonNode models = fixture.http().get("/models").json();
        assertThat(models.get("project").asText()).isEqualTo("server_fixture");
        List<String> names = new ArrayList<>();
        models.get("models").forEach(model -> names.add(model.get("name").asText()));
        assertThat(names).contains("raw.books", "stg_books", "dim_books");

        JsonNode dim = fixture.http().get("/models/dim_books").json();
        assertThat(dim.get("description").asText()).isEqualTo("One row per book.");
        assertThat(dim.get("columns").get(0).get("name").asText()).isEqualTo("book_id");
        assertThat(dim.get("columns").get(0).get("description").asText()).isEqualTo("The book's id.");
        assertThat(dim.get("columns").get(0).get("built").asBoolean()).isTrue();
        List<String> tests = new ArrayList<>();
        dim.get("tests").forEach(test -> tests.add(test.get("test_name").asText() + ":" + test.get("last_status").asText()));
        assertThat(tests).contains("unique:pass", "not_null:pass", "accepted_values:pass");
        assertThat(dim.get("parents").toString()).contains("stg_books");
        assertThat(fixture.http().get("/models/stg_books").json().get("children").toString()).contains("dim_books");
    }

    @Test
    void dataPagesWithTotalHasMoreAndAStableOrder() {
        JsonNode first = fixture.http().get("/data/dim_books").json();
        assertThat(first.get("page_size").asInt()).isEqualTo(10);
        assertThat(first.get("total").asLong()).isEqualTo(25);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("rows")).hasSize(10);
        JsonNode third = fixture.http().get("/data/dim_books?page=3").json();
        assertThat(third.get("rows")).hasSize(5);
        assertThat(third.get("has_more").asBoolean()).isFalse();

        // Keyset: following next_after visits every row once, in the same order as pages.
        Set<String> seen = new HashSet<>();
        String after = null;
        List<String> order = new ArrayList<>();
        do {
            JsonNode page = fixture.http().get("/data/dim_books?page_size=7" + (after == null ? "" : "&after=" + after)).json();
            page.get("rows").forEach(row -> {
                assertThat(seen.add(row.get("book_id").asText())).isTrue();
                order.add(row.get("book_id").asText());
            });
            after = page.get("next_after").isNull() ? null : page.get("next_after").asText();
        } while (after != null);
        assertThat(seen).hasSize(25);
        assertThat(order.get(10)).isEqualTo(fixture.http().get("/data/dim_books?page=2").json().get("rows").get(0)
                .get("book_id").asText());
    }

    @Test
    void dataFiltersOnColumnsAndSearchesTextAndReadsViewsAndSources() {
        JsonNode history = fixture.http().get("/data/dim_books?genre=History&page_size=100").json();
        assertThat(history.get("total").asLong()).isEqualTo(9);
        history.get("rows").forEach(row -> assertThat(row.get("genre").asText()).isEqualTo("History"));
        assertThat(fixture.http().get("/data/dim_books?search=title%2012").json().get("total").asLong()).isEqualTo(1);
        assertThat(fixture.http().get("/data/stg_books?price=10.0").json().get("total").asLong()).isEqualTo(1);
        assertThat(fixture.http().get("/data/raw.books").json().get("total").asLong()).isEqualTo(25);
    }

    @Test
    void sqlInFiltersAndSearchIsJustAValue() {
        assertThat(fixture.http().get("/data/dim_books?genre=%27%20or%201%3D1%20--").json().get("total").asLong()).isZero();
        // The one title that contains the text is found; nothing else is.
        JsonNode search = fixture.http().get("/data/dim_books?search=%27%20or%201%3D1%20--").json();
        assertThat(search.get("total").asLong()).isEqualTo(1);
        assertThat(search.at("/rows/0/title").asText()).isEqualTo("The ' or 1=1 -- book");
        assertThat(fixture.http().get("/data/dim_books?search=%22%3B%20drop%20table%20analytics.dim_books%3B%20--").status())
                .isEqualTo(200);
        assertThat(fixture.http().get("/data/dim_books").json().get("total").asLong()).isEqualTo(25);
    }

    @Test
    void unknownModelOrColumnIs404WithTheKnownNames() {
        Http.Answer model = fixture.http().get("/data/dim_bookz");
        assertThat(model.status()).isEqualTo(404);
        assertThat(model.json().get("message").asText()).contains("dim_bookz").contains("dim_books");
        assertThat(model.json().get("known").toString()).contains("dim_books", "stg_books");
        Http.Answer column = fixture.http().get("/data/dim_books?1%3D1%20or%20x=1");
        assertThat(column.status()).isEqualTo(404);
        assertThat(column.json().get("known").toString()).contains("book_id", "title", "genre", "price");
        assertThat(fixture.http().get("/models/nope").status()).isEqualTo(404);
    }

    @Test
    void pageSizeAndPageOutOfRangeAre400() {
        assertThat(fixture.http().get("/data/dim_books?page_size=1000000").status()).isEqualTo(400);
        assertThat(fixture.http().get("/data/dim_books?page_size=1000000").json().get("message").asText()).contains("100");
        assertThat(fixture.http().get("/data/dim_books?page=-1").status()).isEqualTo(400);
        assertThat(fixture.http().get("/data/dim_books?page=0").status()).isEqualTo(400);
        assertThat(fixture.http().get("/data/dim_books?page=abc").status()).isEqualTo(400);
        assertThat(fixture.http().get("/data/dim_books?after=x").status()).isEqualTo(400);
        assertThat(fixture.http().get("/data/stg_books?after=3").status()).isEqualTo(400);
        assertThat(fixture.http().get("/data/dim_books?page=99999999").json().get("rows")).isEmpty();
    }

    @Test
    void pathTraversalFindsNothing() throws IOException {
        // HttpClient normalises "..", so send the raw request line over a socket. A path that climbs above the
        // root is refused by the HTTP layer as malformed (400); encoded ones reach the router and match nothing.
        assertThat(rawStatus("/data/../../etc/passwd")).isIn(400, 404);
        assertThat(rawStatus("/data/..%2F..%2Fetc%2Fpasswd")).isEqualTo(404);
        assertThat(rawStatus("/data/%2e%2e%2f%2e%2e%2fetc%2fpasswd")).isEqualTo(404);
        assertThat(rawStatus("/lineage/../../../../etc/passwd")).isIn(400, 404);
        Http.Answer encoded = fixture.http().get("/data/..%2F..%2Fetc%2Fpasswd");
        assertThat(encoded.body()).doesNotContain("root:");
    }

    @Test
    void hugeQueryStringIs414() {
        Http.Answer answer = fixture.http().get("/data/dim_books?search=" + "a".repeat(20_000));
        assertThat(answer.status()).isIn(414, 413);
    }

    @Test
    void writesNeedTheToken() {
        assertThat(fixture.http().post("/jobs", "{\"kind\":\"echo\"}", null).status()).isEqualTo(401);
        assertThat(fixture.http().post("/jobs", "{\"kind\":\"echo\"}", "wrong").status()).isEqualTo(403);
        assertThat(fixture.http().post("/jobs/process", "", null).status()).isEqualTo(401);
        assertThat(fixture.http().post("/jobs/1/retry", "", "wrong").status()).isEqualTo(403);
        assertThat(fixture.http().post("/publish", "", null).status()).isEqualTo(401);
        assertThat(fixture.http().post("/publish", "", "wrong").status()).isEqualTo(403);
    }

    @Test
    void publishMakesTheAuditedShadowLiveAndRefusesWhenThereIsNone() {
        assertThat(fixture.soma().build(dev.soma.models.api.Selection.all(), dev.soma.models.api.Publishing.AUDIT).publish().state())
                .isEqualTo(dev.soma.models.api.PublishState.AUDITED);
        Http.Answer published = fixture.http().post("/publish", "", TOKEN);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.body()).contains("\"state\":\"published\"").contains("published ")
                .contains("__audit");
        Http.Answer again = fixture.http().post("/publish", "", TOKEN);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("nothing to publish");
        assertThat(fixture.http().post("/publish?discard=true", "", TOKEN).status()).isEqualTo(409);
    }

    @Test
    void jobsEnqueueListProcessAndRetry() {
        Http.Answer created = fixture.http().post("/jobs", "{\"kind\":\"echo\",\"payload\":{\"n\":2},\"unique_key\":\"n:2\"}", TOKEN);
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(fixture.http().post("/jobs", "{\"kind\":\"echo\",\"unique_key\":\"n:2\"}", TOKEN).status()).isEqualTo(200);
        assertThat(fixture.http().post("/jobs", "not json", TOKEN).status()).isEqualTo(400);
        assertThat(fixture.http().get("/jobs?state=pending").json().get("jobs").toString()).contains("\"id\":" + id);
        assertThat(fixture.http().get("/jobs?state=bogus").status()).isEqualTo(400);
        assertThat(fixture.http().get("/jobs/" + id).json().get("kind").asText()).isEqualTo("echo");
        assertThat(fixture.http().get("/jobs/999999").status()).isEqualTo(404);
        assertThat(fixture.http().get("/jobs/abc").status()).isEqualTo(404);
        Http.Answer processed = fixture.http().post("/jobs/process", "", TOKEN);
        assertThat(processed.status()).isEqualTo(200);
        assertThat(fixture.http().get("/jobs/" + id).json().get("state").asText()).isEqualTo("COMPLETED");
        assertThat(fixture.http().post("/jobs/" + id + "/retry", "", TOKEN).status()).isEqualTo(409);
    }

    @Test
    void writesAreOffWithoutAToken() {
        try (SomaServer readOnly = SomaServer.builder().soma(fixture.soma()).warehouse(fixture.warehouse()).port(0).build().start()) {
            Http client = new Http(readOnly.uri());
            Http.Answer answer = client.post("/jobs", "{\"kind\":\"echo\"}", "anything");
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.json().get("message").asText()).contains("writes are off");
            assertThat(client.get("/jobs").status()).isEqualTo(404);
            assertThat(client.get("/loads").status()).isEqualTo(404);
        }
    }

    @Test
    void openApiLineageUnknownPathsAndMethods() {
        JsonNode openapi = fixture.http().get("/openapi.json").json();
        assertThat(openapi.get("paths").has("/data/{model}")).isTrue();
        Http.Answer page = fixture.http().get("/lineage");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(fixture.http().get("/lineage/lineage.js").status()).isEqualTo(200);
        assertThat(fixture.http().get("/nothing").status()).isEqualTo(404);
        assertThat(fixture.http().post("/health", "", TOKEN).status()).isEqualTo(405);
        assertThat(fixture.http().get("/windows").status()).isEqualTo(200);
    }

    @Test
    void jsonIsGzippedWhenAccepted() throws IOException {
        Http.Answer answer = fixture.http().send(HttpRequest.newBuilder(fixture.server().uri().resolve("/openapi.json"))
                .header("Accept-Encoding", "gzip").GET());
        assertThat(answer.raw().headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] zipped = answer.body().getBytes(StandardCharsets.ISO_8859_1);
        assertThat(zipped.length).isPositive();
        HttpURLConnection connection = (HttpURLConnection) fixture.server().uri().resolve("/openapi.json").toURL().openConnection();
        connection.setRequestProperty("Accept-Encoding", "gzip");
        try (GZIPInputStream in = new GZIPInputStream(connection.getInputStream())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"openapi\"");
        }
    }

    @Test
    void portTakenIsOneClearLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> SomaServer.builder().soma(fixture.soma()).warehouse(fixture.warehouse()).port(taken.getLocalPort()).build())
                    .hasMessageContaining("already in use").hasMessageContaining("--port");
        }
    }

    @Test
    void requestsCannotWriteEvenThroughTheReadPath() {
        // The read path runs every statement in a read-only transaction.
        dev.soma.server.internal.http.ReadSessions sessions = new dev.soma.server.internal.http.ReadSessions(fixture.warehouse(), 1, 1);
        assertThatThrownBy(() -> sessions.read(session -> session.execute(dev.soma.core.warehouse.SqlOwner.soma("t"),
                "CREATE TABLE analytics.sneaky AS SELECT 1"))).hasMessageContaining("read-only");
        sessions.close();
        assertThat(fixture.warehouse().relationExists("analytics", "sneaky")).isFalse();
    }

    private int rawStatus(String rawPath) throws IOException {
        URI uri = fixture.server().uri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

}
