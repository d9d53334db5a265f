package dev.soma.ingest.internal.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.ingest.IngestException;
import dev.soma.ingest.http.HttpReplies;
import dev.soma.ingest.http.HttpRetry;
import dev.soma.ingest.http.RateLimiter;
import dev.soma.ingest.spec.ColumnSpec;
import dev.soma.ingest.spec.HttpSpec;
import dev.soma.ingest.spec.SourceSpec;
import org.duckdb.DuckDBAppender;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP JSON API, read with {@link HttpClient} page by page, each record's declared fields appended
 * as text (and the record itself as JSON) through DuckDB's Appender into a temp staging table.
 *
 * <p>Page and offset pagination know every page's address up front, so up to {@code max_in_flight}
 * requests run at once, started no faster than the rate limit; the first short or empty page ends the
 * read. Cursor and next-link pagination follow the chain one request at a time. A request that fails
 * with 429, 5xx, a timeout or an I/O error is retried with exponential backoff, waiting at least what
 * {@code Retry-After} asks. Secrets never appear in a URL that is logged, stored or shown.
 */
public final class HttpSource implements Source {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public Staged stage(Context context) {
        SourceSpec spec = context.spec();
        HttpSpec http = (HttpSpec) spec.kind();
        String stage = "soma_stage_" + context.tag();
        StringJoiner ddl = new StringJoiner(", ");
        for (ColumnSpec column : spec.columns()) {
            ddl.add(Identifiers.quote(column.name()) + " VARCHAR");
        }
        SqlOwner owner = SqlOwner.loader(spec.name());
        context.session().execute(owner, "CREATE TEMP TABLE " + Identifiers.quote(stage) + " (" + ddl
                + ", _file VARCHAR, _raw VARCHAR)");
        Reader reader = new Reader(context, http);
        context.session().append(owner, "main", stage, appender -> {
            reader.read(appender);
            return null;
        });
        return new Staged("temp.main." + Identifiers.quote(stage), null, false, null, false, null);
    }

    /** One page as received. */
    private record Page(int number, String shownUrl, List<JsonNode> records, String next) {
    }

    /** The state of one read. */
    private static final class Reader {
        private final Context context;
        private final SourceSpec spec;
        private final HttpSpec http;
        private final HttpClient client;
        private final ExecutorService clientThreads;
        private final HttpRetry retry;
        private final String baseUrl;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String authQuery;

        Reader(Context context, HttpSpec http) {
            this.context = context;
            this.spec = context.spec();
            this.http = http;
            this.baseUrl = EnvText.expand(http.url(), context.env(), spec, "http.url");
            for (Map.Entry<String, String> header : http.headers().entrySet()) {
                headers.put(header.getKey(), EnvText.expand(header.getValue(), context.env(), spec, "header " + header.getKey()));
            }
            if (http.auth() != null) {
                String secret = EnvText.variable(http.auth().env(), context.env(), spec, "http.auth");
                switch (http.auth().type()) {
                    case "bearer" -> headers.put("Authorization", "Bearer " + secret);
                    case "header" -> headers.put(http.auth().name(), secret);
                    default -> authQuery = encode(http.auth().name()) + "=" + encode(secret);
                }
            }
            // Java 17's HttpClient cannot be closed; its threads are ours to stop when the read ends.
            this.clientThreads = Executors.newCachedThreadPool(daemon("soma-http-client-" + spec.name()));
            this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                    .connectTimeout(http.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
            this.retry = new HttpRetry(client, new RateLimiter(http.rateLimit(), http.ratePer()),
                    new HttpRetry.Policy(http.retries(), http.backoff(), MAX_RETRY_AFTER, false));
        }

        void read(DuckDBAppender appender) throws SQLException {
            long[] record = {0};
            PageSink sink = page -> {
                context.listener().pageRead(spec, page.number(), page.records().size());
                for (JsonNode node : page.records()) {
                    record[0]++;
                    appender.beginRow();
                    for (ColumnSpec column : spec.columns()) {
                        appender.append(text(node, column.from()));
                    }
                    appender.append(page.shownUrl());
                    appender.append(node.toString());
                    appender.endRow();
                }
            };
            try {
                switch (http.pagination().style()) {
                    case "page", "offset" -> readNumbered(sink);
                    case "cursor", "next_link" -> readChained(sink);
                    default -> sink.accept(fetch(1, url(List.of())));
                }
            } finally {
                clientThreads.shutdownNow();
            }
        }

        private void readNumbered(PageSink sink) throws SQLException {
            HttpSpec.Pagination p = http.pagination();
            ExecutorService pool = Executors.newFixedThreadPool(http.maxInFlight(), daemon("soma-http-" + spec.name()));
            Deque<Future<Page>> inFlight = new ArrayDeque<>();
            try {
                int next = 0;
                while (true) {
                    while (inFlight.size() < http.maxInFlight() && next < p.maxPages()) {
                        int index = next++;
                        String value = Long.toString(p.style().equals("page") ? p.first() + index : (long) index * p.size());
                        String url = url(List.of(p.pageParam() + "=" + encode(value), p.sizeParam() + "=" + p.size()));
                        inFlight.add(pool.submit(() -> fetch(index + 1, url)));
                    }
                    if (inFlight.isEmpty()) {
                        return;
                    }
                    Page page = await(inFlight.poll());
                    sink.accept(page);
                    if (page.records().size() < p.size()) {
                        return;
                    }
                }
            } finally {
                inFlight.forEach(f -> f.cancel(true));
                pool.shutdownNow();
            }
        }

        private void readChained(PageSink sink) throws SQLException {
            HttpSpec.Pagination p = http.pagination();
            String url = url(List.of());
            for (int number = 1; number <= p.maxPages(); number++) {
                Page page = fetch(number, url);
                sink.accept(page);
                if (page.records().isEmpty() || page.next() == null || page.next().isBlank()) {
                    return;
                }
                if (p.style().equals("cursor")) {
                    url = url(List.of(p.pageParam() + "=" + encode(page.next())));
                } else {
                    url = URI.create(page.shownUrl()).resolve(page.next()).toString();
                }
            }
        }

        private static Page await(Future<Page> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading an HTTP source", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** The first page's URL with the incremental cursor and {@code params}; never holds the secret. */
        private String url(List<String> params) {
            List<String> all = new ArrayList<>();
            if (spec.cursor() != null && spec.cursor().param() != null && context.cursorSent() != null) {
                all.add(encode(spec.cursor().param()) + "=" + encode(context.cursorSent()));
            }
            all.addAll(params);
            return withQuery(baseUrl, all);
        }

        private static String withQuery(String url, List<String> params) {
            if (params.isEmpty()) {
                return url;
            }
            return url + (url.contains("?") ? "&" : "?") + String.join("&", params);
        }

        /** One page, retried as configured. */
        private Page fetch(int number, String shownUrl) {
            String realUrl = authQuery == null ? shownUrl : withQuery(shownUrl, List.of(authQuery));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realUrl)).timeout(http.timeout())
                    .header("Accept", "application/json");
            headers.forEach(request::header);
            request.method(http.method(), HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> response;
            try {
                response = retry.send(request.build(), spec.name() + ": page " + number);
            } catch (HttpRetry.GaveUpException e) {
                throw failure("GET " + shownUrl + " failed after " + e.attempts() + " attempt(s); the last: " + e.lastProblem()
                        + "; the API may be down: load again later, or raise http.retries / http.timeout");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while reading " + shownUrl);
            }
            int status = response.statusCode();
            if (status < 200 || status >= 300) {
                throw failure("GET " + shownUrl + " answered " + HttpReplies.status(response) + hint(status));
            }
            return parse(number, shownUrl, response);
        }

        private Page parse(int number, String shownUrl, HttpResponse<String> response) {
            JsonNode root;
            try {
                root = JSON.readTree(response.body());
            } catch (JsonProcessingException e) {
                throw failure("page " + number + " (" + shownUrl + ") is not valid JSON: "
                        + e.getOriginalMessage().lines().findFirst().orElse("") + " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + "; nothing was loaded");
            }
            if (root == null || root.isMissingNode()) {
                root = JSON.createArrayNode();
            }
            JsonNode array = at(root, http.records());
            List<JsonNode> records = new ArrayList<>();
            if (array != null && !array.isNull()) {
                if (!array.isArray()) {
                    throw failure("page " + number + " (" + shownUrl + "): "
                            + (http.records().isEmpty() ? "the response" : "'" + http.records() + "'")
                            + " is not an array of records; set http.records to the path of the array");
                }
                array.forEach(records::add);
            }
            String next = null;
            HttpSpec.Pagination p = http.pagination();
            if (p.style().equals("cursor") || (p.style().equals("next_link") && p.nextPath() != null)) {
                JsonNode value = at(root, p.nextPath());
                next = value == null || value.isNull() ? null : value.asText();
            } else if (p.style().equals("next_link")) {
                next = response.headers().allValues("Link").stream().map(LINK_NEXT::matcher).filter(Matcher::find)
                        .map(m -> m.group(1)).findFirst().orElse(null);
            }
            return new Page(number, shownUrl, records, next);
        }

        private IngestException failure(String message) {
            return new IngestException(ErrorCode.SOURCE_UNAVAILABLE, spec.location(), spec.name(), message);
        }

        private String hint(int status) {
            if ((status == 401 || status == 403) && http.auth() != null) {
                return "; check the secret in environment variable " + http.auth().env();
            }
            if (status == 404) {
                return "; check http.url";
            }
            return "";
        }
    }

    @FunctionalInterface
    private interface PageSink {
        void accept(Page page) throws SQLException;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static JsonNode at(JsonNode root, String path) {
        if (path == null || path.isEmpty()) {
            return root;
        }
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.isArray() && part.matches("\\d+") ? node.get(Integer.parseInt(part)) : node.get(part);
        }
        return node;
    }

    static String text(JsonNode record, String path) {
        JsonNode value = at(record, path);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
