package dev.soma.benchmarks.enrich;

import dev.soma.enrich.standin.StandInBookServer;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.CuratedBooksCsv;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import dev.soma.ingest.Ingest;
import dev.soma.enrich.EnrichBookHandler;
import dev.soma.enrich.Enrichment;
import dev.soma.enrich.ExtractorConfig;
import dev.soma.enrich.OpenLibraryExtractor;
import dev.soma.enrich.PublishResult;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Book enrichment end to end, rate limits off, against the local stand-in server answering at once:
 * curated CSV → publish (ingest + one job per book) → workers → both extractors over HTTP (two
 * requests a book: Open Library's {@code /api/books?jscmd=data} and Google's volumes; four with
 * {@code -DolApi=editions}: the ISBN redirect, edition and author) → merge → a batch of books into the raw
 * tables in the transaction completing its jobs. Books per second over publish + run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.soma.benchmarks.enrich.EnrichThroughput [BOOKS] [THREADS] [BATCH]
 * </pre>
 * Run from the repository root (it reads models/sources.yml for the curated-books source). With
 * {@code -DhttpOnly=1} it times only the extractors and the merge (no queue, no database), to split the cost.
 */
public final class EnrichThroughput {

    private EnrichThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int books = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = Files.createTempDirectory("soma-enrich-bench");
        Path db = dir.resolve("enrich.duckdb");
        Path csv = dir.resolve("curated_books.csv");
        try (Warehouse warehouse = Warehouse.open(db)) {
            Generator.with(GenerationConfig.defaults().withBooks(books).withSales(100).withSeed(42)).generate(warehouse);
            long lines = CuratedBooksCsv.write(warehouse, csv);
            try (StandInBookServer server = StandInBookServer.start(warehouse)) {
                ExtractorConfig local = ExtractorConfig.openLibrary().withBaseUrl(server.url()).withRequestsPerMinute(0)
                        .withTimeout(Duration.ofSeconds(10));
                OpenLibraryExtractor.Api api = "editions".equals(System.getProperty("olApi"))
                        ? OpenLibraryExtractor.Api.EDITIONS : OpenLibraryExtractor.Api.BOOKS_DATA;
                Enrichment enrichment = Enrichment.builder().warehouse(warehouse).openLibrary(local).openLibraryApi(api)
                        .googleBooks(local).env(name -> null).build();
                if (System.getProperty("httpOnly") != null) {
                    var queries = warehouse.queryList(SqlOwner.soma("bench"), "SELECT isbn, title, author FROM raw.books",
                            rs -> dev.soma.enrich.BookQuery.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                    long t0 = System.nanoTime();
                    var futures = queries.stream().map(q -> pool.submit(() -> enrichment.handler().enrich(q))).toList();
                    for (var f : futures) {
                        f.get();
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "HTTP + merge only: %,d books in %.2f s: %,.0f books/s%n", queries.size(), s, queries.size() / s);
                    pool.shutdown();
                    return;
                }
                try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                        .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
                    Ingest ingest = Ingest.builder().project(Path.of("models")).warehouse(warehouse).env(n -> null).build();
                    long start = System.nanoTime();
                    PublishResult published = enrichment.publish(ingest, Enrichment.CURATED_BOOKS, csv, queue);
                    long publishedAt = System.nanoTime();
                    Worker.Counts counts;
                    try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(threads).withBatchSize(batch))) {
                        counts = worker.runUntilDrained();
                    }
                    long end = System.nanoTime();
                    long rows = warehouse.queryLong(SqlOwner.soma("bench"), "SELECT count(*) FROM raw.enriched_books");
                    double publishS = (publishedAt - start) / 1e9;
                    double runS = (end - publishedAt) / 1e9;
                    System.out.printf(Locale.ROOT, "%,d CSV lines, %,d valid books, %,d jobs; %,d completed, %,d failed; %,d rows in raw.enriched_books%n",
                            lines, published.books(), published.enqueued(), counts.completed(), counts.failed(), rows);
                    System.out.printf(Locale.ROOT, "publish %.2f s, run %.2f s (%d threads, batches of %d), %,d HTTP requests (Open Library %s)%n",
                            publishS, runS, threads, batch, server.requests(), api);
                    System.out.printf(Locale.ROOT, "end to end: %,.0f books/s (run alone: %,.0f books/s)%n",
                            published.books() / (publishS + runS), counts.completed() / runS);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
