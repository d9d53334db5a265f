package dev.soma.ingest;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.CursorSpec;
import dev.soma.ingest.spec.HttpSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.ingest.spec.WriteMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP loads against a real local server: every pagination style, retries, failures, cursors. */
class HttpLoadTest {

    private static final SqlOwner TEST = SqlOwner.soma("test");
    private static final List<ColumnSpec> COLUMNS = List.of(ColumnSpec.of("id", "INTEGER"),
            new ColumnSpec("title", "info.title", null, true, null, null, null, List.of(), false),
            ColumnSpec.of("updated", "DATE"));

    @TempDir
    Path dir;
    Warehouse warehouse;
    ApiServer api;

    @BeforeEach
    void open() throws IOException {
        warehouse = Warehouse.open(dir.resolve("test.duckdb"));
        api = new ApiServer();
    }

    @AfterEach
    void close() {
        api.close();
        warehouse.close();
    }

    /** Records {@code from..to} (inclusive) as a JSON array. */
    static String records(int from, int to) {
        StringJoiner array = new StringJoiner(",", "[", "]");
        for (int i = from; i <= to; i++) {
            array.add("{\"id\":" + i + ",\"info\":{\"title\":\"Book " + i + "\"},\"updated\":\"2024-01-"
                    + String.format("%02d", 1 + i % 28) + "\"}");
        }
        return array.toString();
    }

    private static HttpSpec http(String url, String records, HttpSpec.Pagination pagination) {
        return new HttpSpec(url, null, Map.of(), null, records, pagination, Duration.ofSeconds(5), 3,
                Duration.ofMillis(50), 0, null, 4);
    }

    private static SourceSpec source(HttpSpec http) {
        return new SourceSpec("api.books", "raw", "api_books", http, COLUMNS, List.of("id"), null, WriteMode.APPEND, null);
    }

    private Ingest ingest(SourceSpec spec) {
        return Ingest.builder().warehouse(warehouse).source(spec).env(Map.of("API_TOKEN", "s3cret")::get).build();
    }

    private long count(String sql) {
        return warehouse.queryLong(TEST, sql);
    }

    private static int intParam(ApiServer.Request request, String name, int otherwise) {
        String value = request.param(name);
        return value == null ? otherwise : Integer.parseInt(value);
    }

    @Test
    void pagePagination() {
        api.on("/books", (r, n) -> {
            int page = intParam(r, "page", 1);
            int size = intParam(r, "size", 10);
            int from = (page - 1) * size + 1;
            return ApiServer.Answer.json("{\"data\":" + records(from, Math.min(25, from + size - 1)) + "}");
        });
        LoadResult result = ingest(source(http(api.url("/books"), "data",
                new HttpSpec.Pagination("page", "page", "size", 10, 1, null, 0)))).load("api.books");
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.rowsLoaded()).isEqualTo(25);
        assertThat(count("SELECT count(DISTINCT id) FROM raw.api_books")).isEqualTo(25);
        assertThat(count("SELECT count(*) FROM raw.api_books WHERE title = 'Book 7'")).isEqualTo(1);
    }

    @Test
    void offsetPaginationStopsAtAnEmptyPage() {
        api.on("/books", (r, n) -> {
            int offset = intParam(r, "offset", 0);
            return ApiServer.Answer.json(offset >= 20 ? "[]" : records(offset + 1, offset + 10));
        });
        LoadResult result = ingest(source(http(api.url("/books"), "",
                new HttpSpec.Pagination("offset", "offset", "limit", 10, 0, null, 0)))).load("books");
        assertThat(result.rowsLoaded()).as(result.toString()).isEqualTo(20);
    }

    @Test
    void cursorPagination() {
        api.on("/books", (r, n) -> {
            String token = r.param("cursor");
            int page = token == null ? 0 : Integer.parseInt(token.substring(1));
            String next = page < 2 ? "\"p" + (page + 1) + "\"" : "null";
            return ApiServer.Answer.json("{\"items\":" + records(page * 5 + 1, page * 5 + 5) + ",\"meta\":{\"next\":" + next + "}}");
        });
        LoadResult result = ingest(source(http(api.url("/books"), "items",
                new HttpSpec.Pagination("cursor", "cursor", null, 0, 0, "meta.next", 0)))).load("books");
        assertThat(result.rowsLoaded()).as(result.toString()).isEqualTo(15);
        assertThat(api.requests).hasSize(3);
    }

    @Test
    void nextLinkPaginationInTheBodyAndInTheLinkHeader() {
        api.on("/body", (r, n) -> {
            int page = intParam(r, "p", 1);
            String next = page < 3 ? "\"/body?p=" + (page + 1) + "\"" : "null";
            return ApiServer.Answer.json("{\"results\":" + records(page * 10, page * 10 + 2) + ",\"next\":" + next + "}");
        });
        LoadResult body = ingest(source(http(api.url("/body"), "results",
                new HttpSpec.Pagination("next_link", null, null, 0, 0, "next", 0)))).load("books");
        assertThat(body.rowsLoaded()).as(body.toString()).isEqualTo(9);

        api.on("/header", (r, n) -> {
            int page = intParam(r, "p", 1);
            Map<String, String> headers = page < 2 ? Map.of("Link", "<" + api.url("/header?p=2") + ">; rel=\"next\"") : Map.of();
            return new ApiServer.Answer(200, headers, records(100 + page * 10, 100 + page * 10 + 1), 0);
        });
        SourceSpec viaHeader = new SourceSpec("api.more", "raw", "api_more", http(api.url("/header"), "",
                new HttpSpec.Pagination("next_link", null, null, 0, 0, null, 0)), COLUMNS, List.of("id"), null, null, null);
        assertThat(ingest(viaHeader).load("api.more").rowsLoaded()).isEqualTo(4);
    }

    @Test
    void aTooManyRequestsAnswerIsRetriedAfterRetryAfter() {
        api.on("/books", (r, n) -> n == 1 ? new ApiServer.Answer(429, Map.of("Retry-After", "1"), "slow down", 0)
                : ApiServer.Answer.json(records(1, 3)));
        long start = System.nanoTime();
        LoadResult result = ingest(source(http(api.url("/books"), "", null))).load("books");
        assertThat(result.rowsLoaded()).as(result.toString()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(api.requests).hasSize(2);
    }

    @Test
    void aServerErrorThenSuccess() {
        api.on("/books", (r, n) -> n <= 2 ? new ApiServer.Answer(500, Map.of(), "{\"error\":\"boom\"}", 0)
                : ApiServer.Answer.json(records(1, 3)));
        LoadResult result = ingest(source(http(api.url("/books"), "", null))).load("books");
        assertThat(result.rowsLoaded()).as(result.toString()).isEqualTo(3);
        assertThat(api.requests).hasSize(3);
    }

    @Test
    void aTimeoutFailsTheLoadAndLeavesThePreviousState() {
        api.on("/books", (r, n) -> n == 1 ? ApiServer.Answer.json(records(1, 3))
                : ApiServer.Answer.json(records(4, 6)).delayed(1500));
        HttpSpec http = new HttpSpec(api.url("/books"), null, null, null, null, null, Duration.ofMillis(200), 1,
                Duration.ofMillis(10), 0, null, 1);
        Ingest ingest = ingest(source(http));
        assertThat(ingest.load("books").rowsLoaded()).isEqualTo(3);
        LoadResult failed = ingest.load("books");
        assertThat(failed.status()).isEqualTo(LoadStatus.FAILED);
        assertThat(failed.error()).contains("failed after 2 attempt(s)").contains("no answer within 200 ms");
        assertThat(count("SELECT count(*) FROM raw.api_books")).isEqualTo(3);
        assertThat(ingest.lastLoad("books").orElseThrow().status()).isEqualTo(LoadStatus.FAILED);
    }

    @Test
    void anUnreachableApiSaysTheConnectionWasRefusedByItsHostAndPort() throws IOException {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        HttpSpec http = new HttpSpec("http://127.0.0.1:" + port + "/books", null, null, null, null, null, Duration.ofSeconds(2), 1,
                Duration.ofMillis(10), 0, null, 1);
        LoadResult failed = ingest(source(http)).load("books");
        assertThat(failed.status()).isEqualTo(LoadStatus.FAILED);
        assertThat(failed.error()).contains("failed after 2 attempt(s); the last: connection refused by 127.0.0.1:" + port)
                .doesNotContain("ConnectException");
    }

    @Test
    void malformedJsonFailsTheLoadWithoutWritingRows() {
        api.on("/books", (r, n) -> {
            int page = intParam(r, "page", 1);
            return ApiServer.Answer.json(page == 1 ? records(1, 2) : "[{\"id\": 3,");
        });
        LoadResult result = ingest(source(http(api.url("/books"), "",
                new HttpSpec.Pagination("page", "page", "size", 2, 1, null, 0)))).load("books");
        assertThat(result.status()).isEqualTo(LoadStatus.FAILED);
        assertThat(result.error()).contains("page 2").contains("is not valid JSON");
        assertThat(warehouse.relationExists("raw", "api_books")).isFalse();
        assertThat(count("SELECT count(*) FROM soma_meta.ingest_loads WHERE status = 'failed'")).isEqualTo(1);
    }

    @Test
    void anEmptyFirstPageLoadsNothing() {
        api.on("/books", (r, n) -> ApiServer.Answer.json("{\"data\": []}"));
        LoadResult result = ingest(source(http(api.url("/books"), "data",
                new HttpSpec.Pagination("page", "page", "size", 10, 1, null, 0)))).load("books");
        assertThat(result.succeeded()).isTrue();
        assertThat(result.rowsRead()).isZero();
    }

    @Test
    void theCursorIsSentAndNeverGoesBackwards() {
        api.on("/books", (r, n) -> {
            String since = r.param("since");
            // first load: records up to Jan 10; later loads: the API (wrongly) returns older records too
            return ApiServer.Answer.json(since.equals("2024-01-01")
                    ? "[{\"id\":1,\"info\":{\"title\":\"a\"},\"updated\":\"2024-01-05\"},"
                    + "{\"id\":2,\"info\":{\"title\":\"b\"},\"updated\":\"2024-01-10\"}]"
                    : "[{\"id\":2,\"info\":{\"title\":\"b\"},\"updated\":\"2024-01-10\"},"
                    + "{\"id\":0,\"info\":{\"title\":\"old\"},\"updated\":\"2023-12-01\"}]");
        });
        SourceSpec spec = new SourceSpec("api.books", "raw", "api_books", http(api.url("/books"), "", null), COLUMNS,
                List.of("id"), new CursorSpec("updated", "2024-01-01", "since"), WriteMode.APPEND, null);
        Ingest ingest = ingest(spec);
        LoadResult first = ingest.load("books");
        assertThat(first.cursorTo()).isEqualTo("2024-01-10");
        LoadResult second = ingest.load("books");
        assertThat(api.requests.get(1).param("since")).isEqualTo("2024-01-10");
        assertThat(second.rowsLoaded()).isZero();
        assertThat(second.rowsDuplicate()).isEqualTo(1);    // the boundary record, dropped by key
        assertThat(second.rowsSkipped()).isEqualTo(1);      // the record from before the cursor
        assertThat(second.cursorTo()).isEqualTo("2024-01-10");
        assertThat(count("SELECT count(*) FROM raw.api_books")).isEqualTo(2);
    }

    @Test
    void theCursorGoesBackToTheApiInTheApisOwnFormat() {
        List<ColumnSpec> columns = List.of(ColumnSpec.of("id", "INTEGER"), ColumnSpec.of("changed", "TIMESTAMP"));
        api.on("/events", (r, n) -> ApiServer.Answer.json(n == 1
                ? "[{\"id\":1,\"changed\":\"2024-03-24T00:30:00Z\"},{\"id\":2,\"changed\":\"2024-03-24T01:00:00Z\"}]"
                : "[]"));
        SourceSpec spec = new SourceSpec("api.events", "raw", "events", http(api.url("/events"), "", null), columns,
                List.of("id"), new CursorSpec("changed", "2024-03-01T00:00:00Z", "since"), WriteMode.APPEND, null);
        Ingest ingest = ingest(spec);
        LoadResult first = ingest.load("events");
        assertThat(first.rowsLoaded()).as(first.toString()).isEqualTo(2);
        assertThat(first.cursorTo()).isEqualTo("2024-03-24 01:00:00");     // DuckDB's text, compared and shown
        LoadResult second = ingest.load("events");                         // nothing new: the cursor stays
        assertThat(second.succeeded()).as(second.toString()).isTrue();
        ingest.load("events");
        assertThat(api.requests).extracting(r -> r.param("since"))
                .containsExactly("2024-03-01T00:00:00Z", "2024-03-24T01:00:00Z", "2024-03-24T01:00:00Z");

        // A cursor committed before its text was kept goes back in ISO 8601, shaped like `initial`.
        warehouse.execute(TEST, "UPDATE soma_meta.ingest_cursors SET cursor_text = NULL");
        ingest.load("events");
        assertThat(api.requests.get(3).param("since")).isEqualTo("2024-03-24T01:00:00Z");
    }

    @Test
    void theSecretIsSentButNeverStored() {
        api.on("/books", (r, n) -> r.headers().getOrDefault("Authorization", List.of()).contains("Bearer s3cret")
                ? ApiServer.Answer.json("[{\"id\":1,\"info\":{\"title\":null}}]")
                : new ApiServer.Answer(401, Map.of(), "", 0));
        HttpSpec http = new HttpSpec(api.url("/books"), null, null, new HttpSpec.Auth("bearer", null, "API_TOKEN"), null,
                null, null, 0, null, 0, null, 0);
        Ingest ingest = ingest(source(http));
        LoadResult result = ingest.load("books");
        assertThat(result.rowsRejected()).isEqualTo(1);
        RejectedRow reject = ingest.rejects("books", 10).get(0);
        assertThat(reject.reasons()).containsExactly("title: missing, but it is required");
        assertThat(reject.raw()).isEqualTo("{\"id\":1,\"info\":{\"title\":null}}");
        assertThat(reject.record()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM soma_meta.ingest_rejects WHERE file LIKE '%s3cret%' OR raw_record LIKE '%s3cret%'"))
                .isZero();

        Ingest withoutSecret = Ingest.builder().warehouse(warehouse).source(source(http)).env(name -> null).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withoutSecret.load("books"))
                .hasMessageContaining("needs the environment variable API_TOKEN, which is not set");
    }

    @Test
    void pageRequestsOverlapUpToTheRateLimit() {
        api.on("/books", (r, n) -> {
            int page = intParam(r, "page", 1);
            return ApiServer.Answer.json(page <= 8 ? records(page * 10, page * 10 + 9) : "[]").delayed(300);
        });
        HttpSpec http = new HttpSpec(api.url("/books"), null, null, null, null,
                new HttpSpec.Pagination("page", "page", "size", 10, 1, null, 0), null, 0, null, 20, Duration.ofSeconds(1), 4);
        LoadResult result = ingest(source(http)).load("books");
        assertThat(result.rowsLoaded()).as(result.toString()).isEqualTo(80);
        assertThat(api.maxInFlight.get()).isGreaterThan(1);
        List<Long> starts = api.requests.stream().map(ApiServer.Request::startNanos).sorted().toList();
        // one after another, the 9th page could not start before 8 x 300 ms = 2.4 s; four at a time, well before
        int ninth = 8;
        assertThat(Duration.ofNanos(starts.get(ninth) - starts.get(0))).isLessThan(Duration.ofMillis(1800));
        assertThat(api.maxInFlight.get()).isGreaterThanOrEqualTo(3);
        // 20 requests per second: starts are spaced 50 ms apart by the client (arrival on the server jitters a little)
        assertThat(starts.get(starts.size() - 1) - starts.get(0)).as("span of request starts")
                .isGreaterThan((starts.size() - 1) * 40_000_000L);
    }
}
