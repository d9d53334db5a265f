package dev.soma.ingest.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one retry loop: what is retried, what is returned, how long it waits, and what it says when it gives up. */
class HttpRetryTest {

    /** A status and a Retry-After (or null) per request, in order; the last repeats. */
    private final Deque<String[]> replies = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String[] reply = replies.size() > 1 ? replies.poll() : replies.peek();
            if (reply[1] != null) {
                exchange.getResponseHeaders().add("Retry-After", reply[1]);
            }
            byte[] body = ("body " + reply[0]).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(reply[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> send(int retries, boolean jitter) throws Exception {
        HttpRetry retry = new HttpRetry(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                new RateLimiter(0, Duration.ofMinutes(1)), new HttpRetry.Policy(retries, Duration.ofMillis(10), Duration.ofSeconds(2), jitter));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return retry.send(request, "test");
    }

    @Test
    void throttledAndFailingAnswersAreRetriedUntilOneIsFinal() throws Exception {
        replies.add(new String[]{"503", null});
        replies.add(new String[]{"429", null});
        replies.add(new String[]{"200", null});
        HttpResponse<String> response = send(3, true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requests).hasValue(3);
    }

    @Test
    void anAnswerNotWorthRepeatingIsReturnedAtOnce() throws Exception {
        replies.add(new String[]{"404", null});
        assertThat(send(3, false).statusCode()).isEqualTo(404);
        assertThat(requests).hasValue(1);
    }

    @Test
    void retryAfterIsWaitedForThoughTheBackoffIsShorter() throws Exception {
        replies.add(new String[]{"429", "1"});
        replies.add(new String[]{"200", null});
        long start = System.nanoTime();
        assertThat(send(1, false).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void givingUpSaysHowOftenAndWhatCameLast() {
        replies.add(new String[]{"500", null});
        assertThatThrownBy(() -> send(2, false)).isInstanceOfSatisfying(HttpRetry.GaveUpException.class, e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.lastProblem()).isEqualTo("HTTP 500 (body 500)");
        });
        assertThat(requests).hasValue(3);
    }

    @Test
    void anUnreachableServerIsNamedWithWhatWentWrong() throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        HttpRetry retry = new HttpRetry(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                new RateLimiter(0, Duration.ofMinutes(1)), new HttpRetry.Policy(1, Duration.ofMillis(10), Duration.ofSeconds(2), false));
        HttpRequest refused = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> retry.send(refused, "test")).isInstanceOfSatisfying(HttpRetry.GaveUpException.class, e -> {
            assertThat(e.lastProblem()).isEqualTo("connection refused by 127.0.0.1:" + port);
            assertThat(e.getMessage()).isEqualTo("2 attempt(s); the last: connection refused by 127.0.0.1:" + port);
        });
        HttpRequest unknown = HttpRequest.newBuilder(URI.create("http://no-such-host.invalid/x")).timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> retry.send(unknown, "test")).isInstanceOfSatisfying(HttpRetry.GaveUpException.class,
                e -> assertThat(e.lastProblem()).isEqualTo("unknown host no-such-host.invalid"));
        HttpRequest slow = HttpRequest.newBuilder(URI.create("https://example.test/x")).timeout(Duration.ofMillis(250)).build();
        assertThat(HttpRetry.problem(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"), slow))
                .isEqualTo("no connection to example.test:443 within 250 ms");
        assertThat(HttpRetry.problem(new java.net.http.HttpTimeoutException("request timed out"), slow))
                .isEqualTo("no answer within 250 ms");
    }

    @Test
    void onlyThrottlingAndServerErrorsAreRetryable() {
        assertThat(HttpRetry.retryable(429)).isTrue();
        assertThat(HttpRetry.retryable(503)).isTrue();
        assertThat(HttpRetry.retryable(404)).isFalse();
        assertThat(HttpRetry.retryable(200)).isFalse();
    }
}
