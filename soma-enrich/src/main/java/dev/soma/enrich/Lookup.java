package dev.soma.enrich;

/**
 * The outcome of one extractor's lookup: the book, or "not found" (a 404, {@code totalItems: 0}, no
 * search result good enough). Failures (timeouts, 5xx after the retries, invalid JSON) are
 * {@link EnrichException}s instead, so the job retries.
 */
public record Lookup(String source, BookRecord book) {

    public static Lookup found(BookRecord book) {
        return new Lookup(book.source(), book);
    }

    public static Lookup notFound(String source) {
        return new Lookup(source, null);
    }

    public boolean isFound() {
        return book != null;
    }
}
