package dev.soma.ingest.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.jobs.BatchJobHandler;
import dev.soma.jobs.JobContext;
import dev.soma.jobs.TransactionContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@value #KIND} job, a {@link BatchJobHandler}: {@link #prepare} looks the book of the payload up with
 * every extractor and merges what they found ({@link BookMerge}), on the worker's handler threads and outside
 * any transaction; {@link #write} writes a whole batch of merged books with {@link EnrichTables#write} in the
 * one transaction that completes their jobs. A lookup error (service down after its retries, invalid JSON)
 * fails that job's attempt alone, so the queue retries it with backoff and dead-letters it at its last attempt
 * with the error. Thread-safe.
 */
public final class EnrichBookHandler implements BatchJobHandler<EnrichBookHandler.Enriched> {

    /** The job kind. */
    public static final String KIND = "enrich_book";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<BookExtractor> extractors;
    private final Clock clock;
    private volatile boolean tablesSeen;

    /** A handler asking these extractors, in merge order; see {@link #of} for the two services. */
    public EnrichBookHandler(List<BookExtractor> extractors, Clock clock) {
        this.extractors = List.copyOf(extractors);
        this.clock = clock;
    }

    /** A handler asking Open Library (through {@code api} by ISBN) and Google Books as configured. */
    public static EnrichBookHandler of(ExtractorConfig openLibrary, OpenLibraryExtractor.Api api, ExtractorConfig googleBooks,
                                       java.util.function.Function<String, String> env) {
        return new EnrichBookHandler(List.of(new OpenLibraryExtractor(openLibrary, env, api), new GoogleBooksExtractor(googleBooks, env)),
                Clock.systemUTC());
    }

    /** The payload of a job for {@code query}: {@code {"key", "isbn13", "title", "author"}}. */
    public static String payload(BookQuery query) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", query.key());
        node.put("isbn13", query.isbn13());
        node.put("title", query.title());
        node.put("author", query.author());
        return node.toString();
    }

    /** The query a payload describes. */
    public static BookQuery query(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            return new BookQuery(text(node, "isbn13"), text(node, "title"), text(node, "author"));
        } catch (Exception e) {
            throw new IllegalArgumentException("an enrich_book payload needs isbn13 or title (and author), not " + payload
                    + "; enqueue it with 'soma enrich publish'", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Looks the book up with every extractor and merges; no database involved. */
    public MergedBook enrich(BookQuery query) {
        List<Lookup> lookups = new ArrayList<>(extractors.size());
        for (BookExtractor extractor : extractors) {
            lookups.add(extractor.lookup(query));
        }
        return BookMerge.merge(query, lookups);
    }

    @Override
    public Enriched prepare(JobContext job) {
        BookQuery query = query(job.payload());
        return new Enriched(query, enrich(query));
    }

    @Override
    public void write(List<Prepared<Enriched>> jobs, TransactionContext transaction) throws Exception {
        if (!tablesSeen) {
            // seen before this transaction's own DDL means committed: no need to look again
            tablesSeen = EnrichTables.ensure(transaction.connection());
        }
        List<EnrichTables.Row> rows = new ArrayList<>(jobs.size());
        for (Prepared<Enriched> p : jobs) {
            rows.add(new EnrichTables.Row(p.result().book(), p.result().query(), p.job().id()));
        }
        EnrichTables.write(transaction.session(), rows, clock.instant());
    }

    /** A book looked up and merged, on its way to {@link #write}. */
    public record Enriched(BookQuery query, MergedBook book) {
    }
}
