package dev.soma.enrich;

/**
 * Looks one book up in one service. Implementations: {@link OpenLibraryExtractor},
 * {@link GoogleBooksExtractor}; {@link Extractors} registers them by name. Thread-safe: one extractor
 * serves every worker thread, and its rate limit is shared by them.
 */
public interface BookExtractor {

    /** The name provenance records: {@code open_library}, {@code google_books}. */
    String name();

    /**
     * By ISBN when the query has one; else by title and author search, keeping the best match by the
     * rule documented on {@link BestMatch}.
     *
     * @throws EnrichException when the service cannot answer (after the retries), or answers nonsense
     */
    Lookup lookup(BookQuery query);
}
