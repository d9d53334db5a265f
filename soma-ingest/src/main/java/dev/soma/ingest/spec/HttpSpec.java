package dev.soma.ingest.spec;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP JSON API, read page by page.
 *
 * <p>{@code url} and header values may hold {@code ${env("NAME")}}, replaced from the environment when
 * the load starts. A secret belongs in {@link Auth}, which is read from the environment and never
 * written to a log, a message or a load record.
 *
 * @param url        the first page's URL
 * @param method     {@code GET} (default) or {@code POST}
 * @param headers    extra request headers
 * @param auth       how to authenticate, or {@code null}
 * @param records    dotted path to the array of records in each response; empty when the response
 *                   itself is the array
 * @param pagination how to reach the next page
 * @param timeout    per request, default 30 s
 * @param retries    retries of a request that failed with 429, 5xx, a timeout or an I/O error (default 3)
 * @param backoff    the first retry's wait, doubled each time; a {@code Retry-After} header wins
 * @param rateLimit  requests allowed per {@code ratePer}; 0 for no limit
 * @param ratePer    the rate limit's period
 * @param maxInFlight how many page requests may be in flight at once when the pagination allows it
 *                   (page and offset); default 4
 */
public record HttpSpec(String url, String method, Map<String, String> headers, Auth auth, String records,
                       Pagination pagination, Duration timeout, int retries, Duration backoff, int rateLimit,
                       Duration ratePer, int maxInFlight) implements ReaderSpec {

    public HttpSpec {
        Objects.requireNonNull(url, "url");
        method = method == null ? "GET" : method;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        records = records == null ? "" : records;
        pagination = pagination == null ? Pagination.NONE : pagination;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        backoff = backoff == null ? Duration.ofMillis(500) : backoff;
        ratePer = ratePer == null ? Duration.ofSeconds(1) : ratePer;
        maxInFlight = maxInFlight <= 0 ? 4 : maxInFlight;
    }

    /** A GET of {@code url} with no pagination and the defaults. */
    public static HttpSpec of(String url) {
        return new HttpSpec(url, null, null, null, null, null, null, 3, null, 0, null, 0);
    }

    /** A copy with {@code pagination}. */
    public HttpSpec withPagination(Pagination pagination) {
        return new HttpSpec(url, method, headers, auth, records, pagination, timeout, retries, backoff, rateLimit,
                ratePer, maxInFlight);
    }

    @Override
    public String kindName() {
        return "http";
    }

    /**
     * Authentication from the environment.
     *
     * @param type {@code bearer} ({@code Authorization: Bearer …}), {@code header} (a header called
     *             {@code name}) or {@code query} (a query parameter called {@code name})
     * @param name the header or parameter name ({@code header} and {@code query} only)
     * @param env  the environment variable holding the secret
     */
    public record Auth(String type, String name, String env) {
        public Auth {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(env, "env");
        }
    }

    /**
     * How to reach the next page.
     *
     * @param style      {@code none}, {@code page} (page number and size), {@code offset} (offset and
     *                   limit), {@code cursor} (a token from the response) or {@code next_link} (a URL from
     *                   the response body, or the {@code Link} header when {@code nextPath} is empty)
     * @param pageParam  the page number ({@code page}) or offset ({@code offset}) or cursor token
     *                   ({@code cursor}) query parameter
     * @param sizeParam  the page size ({@code page}) or limit ({@code offset}) query parameter
     * @param size       records per page
     * @param first      the first page's number ({@code page} only), default 1
     * @param nextPath   dotted path to the next cursor token ({@code cursor}) or next URL ({@code next_link})
     * @param maxPages   a safety stop, default 100000
     */
    public record Pagination(String style, String pageParam, String sizeParam, int size, int first, String nextPath,
                             int maxPages) {

        /** One request, one page. */
        public static final Pagination NONE = new Pagination("none", null, null, 0, 1, null, 1);

        public Pagination {
            Objects.requireNonNull(style, "style");
            maxPages = maxPages <= 0 ? 100_000 : maxPages;
        }
    }
}
