package dev.soma.ingest.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.jobs.JobContext;
import dev.soma.jobs.TransactionContext;
import dev.soma.jobs.TransactionalJobHandler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@value #KIND} job: looks the book of the payload up with every extractor, merges what they
 * found ({@link BookMerge}) and writes it with {@link EnrichTables#write} in the transaction that
 * completes the job. A lookup error (service down after its retries, invalid JSON) fails the attempt,
 * so the queue retries it with backoff and dead-letters it at its last attempt with the error.
 * Thread-safe.
 */
public final class EnrichBookHandler implements TransactionalJobHandler {

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

    /** A handler asking Open Library and Google Books as configured. */
    public static EnrichBookHandler of(ExtractorConfig openLibrary, ExtractorConfig googleBooks,
                                       java.util.function.Function<String, String> env) {
        return new EnrichBookHandler(List.of(new OpenLibraryExtractor(openLibrary, env), new GoogleBooksExtractor(googleBooks, env)),
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
    public void handle(JobContext job, TransactionContext transaction) throws Exception {
        BookQuery query = query(job.payload());
        MergedBook book = enrich(query);
        if (!tablesSeen) {
            // seen before this transaction's own DDL means committed: no need to look again
            tablesSeen = EnrichTables.ensure(transaction.connection());
        }
        EnrichTables.write(transaction.connection(), book, query, job.id(), clock.instant());
    }
}
