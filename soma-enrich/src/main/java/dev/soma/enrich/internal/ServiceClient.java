package dev.soma.enrich.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.enrich.EnrichException;
import dev.soma.enrich.ExtractorConfig;
import dev.soma.ingest.http.HttpReplies;
import dev.soma.ingest.http.HttpRetry;
import dev.soma.ingest.http.RateLimiter;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * GETs JSON from one service: one rate limit for all threads, retries on 429, 5xx, timeouts and I/O
 * errors with exponential backoff honouring {@code Retry-After}, redirects followed (Open Library's
 * {@code /isbn/} answers 302). A 404 is {@code null}, not an error. The API key, if any, is added to
 * the request only; messages and logs show the path without it. Thread-safe.
 */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final ExtractorConfig config;
    private final HttpRetry retry;
    private final String apiKey;

    public ServiceClient(String service, ExtractorConfig config, java.util.function.Function<String, String> env) {
        this.service = service;
        this.config = config;
        // plain http (a proxy, a local server): HTTP/1.1, since offering h2c makes every request an upgrade attempt
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .version("http".equalsIgnoreCase(config.baseUrl().getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        // jittered: many worker threads throttled together should come back apart
        this.retry = new HttpRetry(http, new RateLimiter(config.requestsPerMinute(), Duration.ofMinutes(1)),
                new HttpRetry.Policy(config.retries(), config.retryBase(), config.maxRetryAfter(), true));
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(real)).timeout(config.timeout())
                .header("User-Agent", config.userAgent()).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = retry.send(request, service + ": " + shown);
        } catch (HttpRetry.GaveUpException e) {
            throw new EnrichException(service, "GET " + shown + " failed after " + e.attempts() + " tries, last: "
                    + e.lastProblem() + "; the service may be down or throttling: retry the failed jobs later, or raise the timeout / lower the rate");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrichException(service, "interrupted while asking " + shown, e);
        }
        int status = response.statusCode();
        if (status == 404) {
            return null;
        }
        if (status >= 200 && status < 300) {
            return parse(shown, response.body());
        }
        throw new EnrichException(service, "GET " + shown + " answered " + HttpReplies.status(response)
                + "; check the base URL" + (status == 401 || status == 403 ? " and the API key" : ""));
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
}
