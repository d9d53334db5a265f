package dev.soma.ingest.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends an HTTP request until it gets an answer worth returning, the one retry loop of the HTTP sources and the book
 * extractors. Each attempt first waits for the {@link RateLimiter}. An answer of 429 or 5xx, a timeout or an I/O error
 * is retried, at most {@link Policy#retries()} times, after an exponential backoff that is at least what the answer's
 * {@code Retry-After} asks (capped at {@link Policy#maxRetryAfter()}). Any other answer (2xx, 404, other 4xx) is
 * returned for the caller to judge; when the retries run out, {@link GaveUpException} says how often it tried and
 * what went wrong last, for the caller's own message.
 *
 * <pre>{@code
 * HttpRetry retry = new HttpRetry(client, new RateLimiter(60, Duration.ofMinutes(1)), HttpRetry.Policy.of(3, Duration.ofMillis(500)));
 * HttpResponse<String> response = retry.send(request, "books: page 3");
 * }</pre>
 * Thread-safe when its client and limiter are (the JDK's client and {@link RateLimiter} are).
 */
public final class HttpRetry {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRetry.class);

    private final HttpClient client;
    private final RateLimiter limiter;
    private final Policy policy;

    public HttpRetry(HttpClient client, RateLimiter limiter, Policy policy) {
        this.client = Objects.requireNonNull(client, "client");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * How a request is retried.
     *
     * @param retries       further attempts after the first, 0 or more
     * @param backoff       the wait before the first retry; each later wait doubles the one before
     * @param maxRetryAfter the longest {@code Retry-After} honoured (a longer one waits this long)
     * @param jitter        whether each wait grows by a random 0–10 %, and the next doubles the wait actually slept
     *                      ({@code Retry-After} included): many threads throttled together then come back apart and
     *                      stay slowed down. Without it the backoff doubles from {@code backoff} whatever
     *                      {@code Retry-After} said.
     */
    public record Policy(int retries, Duration backoff, Duration maxRetryAfter, boolean jitter) {

        public Policy {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, not " + retries);
            }
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        }

        /** The number of attempts in all: {@code retries + 1}. */
        public int attempts() {
            return retries + 1;
        }
    }

    /** The retries ran out: how many attempts were made and what the last one met (e.g. {@code HTTP 503 (…)}). */
    public static final class GaveUpException extends Exception {
        private final int attempts;
        private final String lastProblem;

        GaveUpException(int attempts, String lastProblem) {
            super(attempts + " attempt(s); the last: " + lastProblem);
            this.attempts = attempts;
            this.lastProblem = lastProblem;
        }

        public int attempts() {
            return attempts;
        }

        public String lastProblem() {
            return lastProblem;
        }
    }

    /**
     * What an I/O failure of {@code request} means, in words naming the host: {@code connection refused by HOST:PORT},
     * {@code unknown host HOST}, {@code no connection to HOST:PORT within N ms}, {@code no answer within N ms} (the
     * request's timeout), else {@code I/O error with HOST:PORT (…)} with the exception's own message.
     */
    public static String problem(IOException e, HttpRequest request) {
        URI uri = request.uri();
        String host = uri.getHost() == null ? String.valueOf(uri.getAuthority()) : uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String hostPort = host + ":" + port;
        long timeout = request.timeout().map(Duration::toMillis).orElse(0L);
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection to " + hostPort + " within " + timeout + " ms";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout + " ms";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + host;
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + hostPort;
        }
        return "I/O error with " + hostPort + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
    }

    /** Whether an answer with this status is worth asking again: 429 (throttled) and 5xx. */
    public static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * Sends {@code request} until an answer that is not {@linkplain #retryable retryable}, and returns it.
     *
     * @param label names the request in debug logs (never a URL holding a secret), e.g. {@code "books: page 3"}
     * @throws GaveUpException      when every attempt was retryable
     * @throws InterruptedException when interrupted while waiting for the limiter, the answer or a retry
     */
    public HttpResponse<String> send(HttpRequest request, String label) throws GaveUpException, InterruptedException {
        Duration wait = policy.backoff();
        String problem = null;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            Duration retryAfter = null;
            try {
                limiter.acquire();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (!retryable(response.statusCode())) {
                    return response;
                }
                problem = HttpReplies.status(response);
                retryAfter = HttpReplies.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
            } catch (IOException e) {
                problem = problem(e, request);
            }
            if (attempt == policy.attempts()) {
                break;
            }
            Duration sleep = wait;
            if (retryAfter != null) {
                Duration capped = retryAfter.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : retryAfter;
                if (capped.compareTo(sleep) > 0) {
                    sleep = capped;
                }
            }
            if (policy.jitter()) {
                sleep = Duration.ofNanos((long) (sleep.toNanos() * ThreadLocalRandom.current().nextDouble(1.0, 1.1)));
            }
            LOG.debug("{} failed ({}); retry {} in {} ms", label, problem, attempt, sleep.toMillis());
            Thread.sleep(sleep.toMillis());
            if (attempt <= 20) {   // 2^20 times the backoff is long enough; doubling further could overflow
                wait = (policy.jitter() ? sleep : wait).multipliedBy(2);
            }
        }
        throw new GaveUpException(policy.attempts(), problem);
    }
}
