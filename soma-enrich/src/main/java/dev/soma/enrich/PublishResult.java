package dev.soma.enrich;

import dev.soma.ingest.LoadResult;

/**
 * What {@link Enrichment#publish} did.
 *
 * @param load     the CSV's load (rows read, loaded, rejected, duplicate)
 * @param books    valid books found in the curated table
 * @param enqueued new {@code enrich_book} jobs
 * @param existing books already queued or enriched (their key is held by a pending, processing or completed job)
 */
public record PublishResult(LoadResult load, long books, long enqueued, long existing) {

    @Override
    public String toString() {
        return load + System.lineSeparator() + books + " books: " + enqueued + " new enrich_book jobs, " + existing
                + " already queued or enriched";
    }
}
