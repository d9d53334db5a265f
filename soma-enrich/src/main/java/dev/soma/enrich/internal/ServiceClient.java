package dev.soma.enrich.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.enrich.EnrichException;
import dev.soma.enrich.ExtractorConfig;
import dev.soma.ingest.http.HttpReplies;
import dev.soma.ingest.http.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * GETs JSON from one service: one rate limit for all threads, retries on 429, 5xx, timeouts and I/O
 * errors with exponential backoff honouring {@code Retry-After}, redirects followed (Open Library's
 * {@code /isbn/} answers 302). A 404 is {@code null}, not an error. The API key, if any, is added to
 * the request only; messages and logs show the path without it. Thread-safe.
 */
public final class ServiceClient {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final ExtractorConfig config;
    private final HttpClient http;
    private final RateLimiter limit;
    private final String apiKey;

    public ServiceClient(String service, ExtractorConfig config, java.util.function.Function<String, String> env) {
        this.service = service;
        this.config = config;
        // plain http (a proxy, a local server): HTTP/1.1, since offering h2c makes every request an upgrade attempt
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .version("http".equalsIgnoreCase(config.baseUrl().getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.limit = new RateLimiter(config.requestsPerMinute(), Duration.ofMinutes(1));
        String key = config.apiKeyVariable() == null ? null : env.apply(config.apiKeyVariable());
        this.apiKey = key == null || key.isBlank() ? null : key.strip();
    }

    /** URL-encodes a query parameter value. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * GETs {@code pathAndQuery} (starting with '/') under the base URL.
     *
     * @return the parsed JSON, or null on 404
     */
    public JsonNode get(String pathAndQuery) {
        String shown = config.baseUrl() + pathAndQuery;
        String real = shown;
        if (apiKey != null) {
            real += (pathAndQuery.contains("?") ? "&" : "?") + "key=" + encode(apiKey);
        }
        Duration wait = config.retryBase();
        String problem = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                LOG.debug("{}: {} failed ({}); retry {} in {} ms", service, shown, problem, attempt, wait.toMillis());
                sleep(wait);
                wait = wait.multipliedBy(2);
            }
            try {
                limit.acquire();
                HttpRequest request = HttpRequest.newBuilder(URI.create(real)).timeout(config.timeout())
                        .header("User-Agent", config.userAgent()).header("Accept", "application/json").GET().build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 404) {
                    return null;
                }
                if (status >= 200 && status < 300) {
                    return parse(shown, response.body());
                }
                problem = "HTTP " + status + HttpReplies.snippet(response.body());
                if (status != 429 && status < 500) {
                    throw new EnrichException(service, "GET " + shown + " answered " + problem
                            + "; check the base URL" + (status == 401 || status == 403 ? " and the API key" : ""));
                }
                Duration retryAfter = HttpReplies.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
                if (retryAfter != null) {
                    Duration capped = retryAfter.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : retryAfter;
                    if (capped.compareTo(wait) > 0) {
                        wait = capped;
                    }
                }
            } catch (HttpTimeoutException e) {
                problem = "no answer within " + config.timeout().toMillis() + " ms";
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnrichException(service, "interrupted while asking " + shown, e);
            }
            // jitter so that threads throttled together do not come back together
            wait = Duration.ofNanos((long) (wait.toNanos() * ThreadLocalRandom.current().nextDouble(1.0, 1.1)));
        }
        throw new EnrichException(service, "GET " + shown + " failed after " + (config.retries() + 1) + " tries, last: "
                + problem + "; the service may be down or throttling: retry the failed jobs later, or raise the timeout / lower the rate");
    }

    private JsonNode parse(String shown, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new EnrichException(service, "GET " + shown + " answered an empty body where JSON was expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new EnrichException(service, "GET " + shown + " answered invalid JSON (" + e.getOriginalMessage() + ")"
                    + HttpReplies.snippet(body) + "; check that the base URL points at the service's API");
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrichException(service, "interrupted while waiting to retry", e);
        }
    }
}
