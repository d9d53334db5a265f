package dev.soma.enrich;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.Ingest;
import dev.soma.ingest.IngestException;
import dev.soma.ingest.LoadResult;
import dev.soma.ingest.spec.CsvSpec;
import dev.soma.ingest.spec.SourceSpec;
import dev.soma.jobs.EnqueueResult;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.NewJob;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Book enrichment on the job queue: {@link #publish} loads a curated CSV and enqueues one
 * {@value EnrichBookHandler#KIND} job per valid book; {@link #handler()} is the job's batch handler, to register
 * on the queue, writing the books to this warehouse whichever store the queue is on (DuckDB: in the completing
 * transaction; PostgreSQL: in a DuckDB transaction committed just before the completions, see {@link EnrichBookHandler}).
 *
 * <pre>{@code
 * Enrichment enrichment = Enrichment.builder().warehouse(warehouse).build();   // the real services
 * try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
 *         .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
 *     enrichment.publish(ingest, "publisher.curated_books", Path.of("curated_books.csv"), queue);
 *     try (Worker worker = queue.worker(WorkerConfig.defaults())) { worker.runUntilDrained(); }
 * }
 * }</pre>
 * Thread-safe once built.
 */
public final class Enrichment {

    /** The source the bundled project declares for curated books. */
    public static final String CURATED_BOOKS = "publisher.curated_books";

    private static final SqlOwner OWNER = SqlOwner.loader("enrichment");

    private final Warehouse warehouse;
    private final EnrichBookHandler handler;

    private Enrichment(Builder b) {
        this.warehouse = Objects.requireNonNull(b.warehouse, "warehouse");
        List<BookExtractor> extractors = new ArrayList<>();
        extractors.add(new OpenLibraryExtractor(b.openLibrary, b.env, b.openLibraryApi));
        extractors.add(new GoogleBooksExtractor(b.googleBooks, b.env));
        this.handler = new EnrichBookHandler(extractors, warehouse, b.clock);
        EnrichTables.create(warehouse);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@value EnrichBookHandler#KIND} handler. */
    public EnrichBookHandler handler() {
        return handler;
    }

    /**
     * Loads {@code csv} through the ingest source {@code sourceName} (its validation, rejects and load
     * record), then enqueues one job per valid book in the source's table, unique by
     * {@link BookQuery#key()}: books already queued or enriched are not enqueued again.
     *
     * @throws IngestException when the source is not declared or its load failed
     */
    public PublishResult publish(Ingest ingest, String sourceName, Path csv, JobQueue queue) {
        SourceSpec spec = ingest.source(sourceName);
        if (csv != null) {
            spec = spec.withKind(CsvSpec.of(csv.toAbsolutePath().toString()));
        }
        LoadResult load = ingest.load(spec);
        if (!load.succeeded()) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "loading " + (csv == null ? sourceName : csv) + " failed: "
                    + load.error() + "; fix the file and publish again");
        }
        return enqueue(spec, load, queue);
    }

    private PublishResult enqueue(SourceSpec spec, LoadResult load, JobQueue queue) {
        String table = Identifiers.quote(spec.schema()) + "." + Identifiers.quote(spec.table());
        for (String column : List.of("title", "author")) {
            if (spec.column(column).isEmpty()) {
                throw new SomaException(ErrorCode.INVALID_CONFIG, spec.name() + " has no column '" + column
                        + "'; curated books need title, author and optionally isbn");
            }
        }
        String isbn = spec.column("isbn").isPresent() ? "isbn" : "NULL";
        List<BookQuery> rows = warehouse.queryList(OWNER, "SELECT DISTINCT " + isbn + ", title, author FROM " + table
                + " ORDER BY 1, 2, 3", rs -> BookQuery.of(rs.getString(1), rs.getString(2), rs.getString(3)));
        // one book per key: the same ISBN listed with another spelling of its title is one book
        java.util.Map<String, BookQuery> byKey = new java.util.LinkedHashMap<>();
        rows.forEach(q -> byKey.putIfAbsent(q.key(), q));
        java.util.Collection<BookQuery> books = byKey.values();
        List<NewJob> jobs = new ArrayList<>(books.size());
        for (BookQuery q : books) {
            jobs.add(NewJob.of(EnrichBookHandler.KIND, EnrichBookHandler.payload(q)).withUniqueKey(q.key()));
        }
        long created = 0;
        for (int from = 0; from < jobs.size(); from += 1000) {
            for (EnqueueResult r : queue.enqueueAll(jobs.subList(from, Math.min(jobs.size(), from + 1000)))) {
                created += r.created() ? 1 : 0;
            }
        }
        return new PublishResult(load, books.size(), created, books.size() - created);
    }

    /** Configures the extractors; defaults: the real services ({@link ExtractorConfig#openLibrary()}, {@link ExtractorConfig#googleBooks()}). */
    public static final class Builder {
        private Warehouse warehouse;
        private ExtractorConfig openLibrary = ExtractorConfig.openLibrary();
        private OpenLibraryExtractor.Api openLibraryApi = OpenLibraryExtractor.Api.BOOKS_DATA;
        private ExtractorConfig googleBooks = ExtractorConfig.googleBooks();
        private Function<String, String> env = System::getenv;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder warehouse(Warehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        public Builder openLibrary(ExtractorConfig config) {
            this.openLibrary = Objects.requireNonNull(config);
            return this;
        }

        /** How Open Library is asked by ISBN; default {@link OpenLibraryExtractor.Api#BOOKS_DATA} (one request a book). */
        public Builder openLibraryApi(OpenLibraryExtractor.Api api) {
            this.openLibraryApi = Objects.requireNonNull(api);
            return this;
        }

        public Builder googleBooks(ExtractorConfig config) {
            this.googleBooks = Objects.requireNonNull(config);
            return this;
        }

        /** Where the Google API key's variable is read; default the process environment. */
        public Builder env(Function<String, String> env) {
            this.env = Objects.requireNonNull(env);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Enrichment build() {
            return new Enrichment(this);
        }
    }
}
