package dev.soma.enrich;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach one book service.
 *
 * @param baseUrl           e.g. {@code https://openlibrary.org}; point it at a proxy or a local server
 * @param timeout           per request, connect and answer (default 10 s)
 * @param requestsPerMinute the service's rate limit, shared by all threads; 0 turns it off
 * @param retries           further tries on 429, 5xx, a timeout or an I/O error (default 3), waiting
 *                          an exponential backoff from {@code retryBase}, at least what {@code Retry-After} asks
 *                          (capped at {@code maxRetryAfter})
 * @param apiKeyVariable    the environment variable holding an API key (Google's {@code key=}), or null;
 *                          the key is read when the extractor is made and never logged or shown
 * @param userAgent         identifies the client, as Open Library asks
 */
public record ExtractorConfig(URI baseUrl, Duration timeout, int requestsPerMinute, int retries, Duration retryBase,
                              Duration maxRetryAfter, String apiKeyVariable, String userAgent) {

    public static final String USER_AGENT = "Soma book enrichment (https://github.com/soma-analytics/soma)";

    public ExtractorConfig {
        if (baseUrl == null || baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("base URL must be an http(s) URL, not " + baseUrl);
        }
        String s = baseUrl.toString();
        if (s.endsWith("/")) {
            baseUrl = URI.create(s.substring(0, s.length() - 1));
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (requestsPerMinute < 0 || retries < 0) {
            throw new IllegalArgumentException("requests per minute and retries must be 0 or more");
        }
        retryBase = retryBase == null ? Duration.ofMillis(500) : retryBase;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(2) : maxRetryAfter;
        userAgent = userAgent == null ? USER_AGENT : userAgent;
    }

    /** The real Open Library: 180 requests a minute, 10 s timeout, 3 retries. */
    public static ExtractorConfig openLibrary() {
        return new ExtractorConfig(URI.create("https://openlibrary.org"), Duration.ofSeconds(10), 180, 3, null, null, null, null);
    }

    /** The real Google Books: 100 requests a minute (the default per-user quota), key from {@code GOOGLE_BOOKS_API_KEY}. */
    public static ExtractorConfig googleBooks() {
        return new ExtractorConfig(URI.create("https://www.googleapis.com"), Duration.ofSeconds(10), 100, 3, null, null,
                "GOOGLE_BOOKS_API_KEY", null);
    }

    public ExtractorConfig withBaseUrl(String url) {
        return new ExtractorConfig(URI.create(url), timeout, requestsPerMinute, retries, retryBase, maxRetryAfter, apiKeyVariable, userAgent);
    }

    public ExtractorConfig withTimeout(Duration t) {
        return new ExtractorConfig(baseUrl, t, requestsPerMinute, retries, retryBase, maxRetryAfter, apiKeyVariable, userAgent);
    }

    public ExtractorConfig withRequestsPerMinute(int n) {
        return new ExtractorConfig(baseUrl, timeout, n, retries, retryBase, maxRetryAfter, apiKeyVariable, userAgent);
    }

    public ExtractorConfig withRetries(int n, Duration base) {
        return new ExtractorConfig(baseUrl, timeout, requestsPerMinute, n, base, maxRetryAfter, apiKeyVariable, userAgent);
    }

    public ExtractorConfig withApiKeyVariable(String name) {
        return new ExtractorConfig(baseUrl, timeout, requestsPerMinute, retries, retryBase, maxRetryAfter, name, userAgent);
    }
}
