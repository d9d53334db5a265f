package dev.soma.cli.enrich;

import dev.soma.cli.console.Console;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.CuratedBooksCsv;
import dev.soma.ingest.Ingest;
import dev.soma.enrich.EnrichBookHandler;
import dev.soma.enrich.EnrichTables;
import dev.soma.enrich.Enrichment;
import dev.soma.enrich.EnrichJobs;
import dev.soma.enrich.PublishResult;
import dev.soma.enrich.standin.StandInBookServer;
import dev.soma.enrich.standin.StandInEnrichment;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.JobStores;
import dev.soma.jobs.Worker;
import dev.soma.jobs.WorkerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The enrichment part of {@code soma demo --enrich}, without network: a curated CSV from the generated
 * books, published, and enriched against the {@link StandInBookServer local stand-in} (never the real
 * services), so the catalog models have something to build from.
 */
public final class DemoEnrichment {

    private DemoEnrichment() {
    }

    /** Runs the path on {@code warehouse} (which holds generated {@code raw.books}); clears earlier enrichment first. */
    public static void run(Console console, Warehouse warehouse, Path project, int threads) {
        long start = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("soma-demo-enrich");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path csv = dir.resolve("curated_books.csv");
        try (StandInBookServer server = StandInBookServer.start(warehouse)) {
            long lines = CuratedBooksCsv.write(warehouse, csv);
            console.line("   curated_books.csv: %,d rows from the generated books (one in %d broken on purpose)", lines,
                    CuratedBooksCsv.BROKEN_EVERY);
            console.line("   LOCAL STAND-IN for Open Library and Google Books at %s: answers in both services' shapes from the",
                    server.url());
            console.line("   generated books, not the real services (see docs/enrichment.md to point soma enrich at those)");
            StandInEnrichment.reset(warehouse);
            Enrichment enrichment = StandInEnrichment.enrichment(server, warehouse);
            try (JobQueue queue = JobQueue.builder().store(JobStores.duckdb(warehouse))
                    .batchHandler(EnrichBookHandler.KIND, enrichment.handler()).build()) {
                // The demo works only the jobs it enqueues: enrich_book jobs an earlier, interrupted run left pending
                // (or processing: rescued to pending when the store opened) are cancelled and said so, not worked.
                long cancelled = EnrichJobs.cancelPending(queue);
                if (cancelled > 0) {
                    console.line("   cancelled %,d enrich_book job(s) an earlier, interrupted run left pending: the demo enriches"
                            + " only the books it publishes now", cancelled);
                }
                queue.prune(Duration.ZERO);   // earlier demo jobs (finished or just cancelled) would hold their books' keys
                Ingest ingest = Ingest.builder().project(project).warehouse(warehouse).env(name -> null).build();
                PublishResult published = enrichment.publish(ingest, Enrichment.CURATED_BOOKS, csv, queue);
                console.line("   published: %,d valid books, %,d rejected rows, %,d enrich_book jobs", published.books(),
                        published.load().rowsRejected(), published.enqueued());
                Worker.Counts counts;
                try (Worker worker = queue.worker(WorkerConfig.defaults().withThreads(Math.max(1, threads)))) {
                    counts = worker.runUntilDrained();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while enriching", e);
                }
                long both = EnrichTables.counts(warehouse).map(EnrichTables.Counts::foundInBoth).orElse(0L);
                console.line("   enriched %,d of the %,d books published (%,d found in both stand-in services), %,d failed, in %.2f s",
                        counts.completed(), published.books(), both, counts.failed(), (System.nanoTime() - start) / 1e9);
            }
        } finally {
            try {
                Files.deleteIfExists(csv);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }
}
