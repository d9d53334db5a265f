package dev.soma.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.jobs.BatchJobHandler;
import dev.soma.jobs.JobContext;
import dev.soma.jobs.TransactionContext;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@value #KIND} job, a {@link BatchJobHandler}: {@link #prepare} looks the book of the payload up with
 * every extractor and merges what they found ({@link BookMerge}), on the worker's handler threads and outside
 * any transaction; {@link #write} writes a whole batch of merged books with {@link EnrichTables#write} to its
 * warehouse. A lookup error (service down after its retries, invalid JSON) fails that job's attempt alone, so the
 * queue retries it with backoff and dead-letters it at its last attempt with the error. Thread-safe.
 *
 * <p>Where the rows are committed depends on where the queue is:
 * <ul>
 *   <li>the DuckDB store on this handler's warehouse: in the one transaction that completes the jobs (one commit);</li>
 *   <li>any other store (PostgreSQL): in a DuckDB transaction of the handler's own, committed inside the store's
 *       completion transaction, before the store commits. A failed DuckDB write throws, so no job is completed;
 *       a process that dies between the two commits leaves the jobs {@code processing}, they are rescued and run
 *       again, and their second write replaces the same books' rows by key: effectively once.</li>
 * </ul>
 */
public final class EnrichBookHandler implements BatchJobHandler<EnrichBookHandler.Enriched> {

    /** The job kind. */
    public static final String KIND = "enrich_book";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SqlOwner OWNER = SqlOwner.loader("enrichment");

    private final List<BookExtractor> extractors;
    private final Warehouse warehouse;
    private final Clock clock;
    private volatile boolean tablesSeen;

    /**
     * A handler asking these extractors, in merge order, and writing the books to {@code warehouse} (not closed
     * here); see {@link #of} for the two services.
     */
    public EnrichBookHandler(List<BookExtractor> extractors, Warehouse warehouse, Clock clock) {
        this.extractors = List.copyOf(extractors);
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A handler asking Open Library (through {@code api} by ISBN) and Google Books as configured, writing to {@code warehouse}. */
    public static EnrichBookHandler of(ExtractorConfig openLibrary, OpenLibraryExtractor.Api api, ExtractorConfig googleBooks,
                                       java.util.function.Function<String, String> env, Warehouse warehouse) {
        return new EnrichBookHandler(List.of(new OpenLibraryExtractor(openLibrary, env, api), new GoogleBooksExtractor(googleBooks, env)),
                warehouse, Clock.systemUTC());
    }

    /** The warehouse the books are written to. */
    public Warehouse warehouse() {
        return warehouse;
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
        List<EnrichTables.Row> rows = new ArrayList<>(jobs.size());
        for (Prepared<Enriched> p : jobs) {
            rows.add(new EnrichTables.Row(p.result().book(), p.result().query(), p.job().id()));
        }
        if (transaction.isOn(warehouse)) {
            writeIn(transaction.session(), rows);
            return;
        }
        // The queue's transaction is elsewhere (PostgreSQL): commit the books now, in a DuckDB transaction of our own.
        // The store commits the completions only after this returns; if that commit never happens the jobs run again
        // and their rows are replaced by key, so the books land effectively once. A throw here completes nothing.
        try (Session session = warehouse.openSession()) {
            session.inTransaction(OWNER, own -> {
                writeIn(own, rows);
                return null;
            });
        }
    }

    private void writeIn(Session session, List<EnrichTables.Row> rows) throws SQLException {
        if (!tablesSeen) {
            // seen before this transaction's own DDL means committed: no need to look again
            tablesSeen = EnrichTables.ensure(session.jdbc());
        }
        EnrichTables.write(session, rows, clock.instant());
    }

    /** A book looked up and merged, on its way to {@link #write}. */
    public record Enriched(BookQuery query, MergedBook book) {
    }
}
