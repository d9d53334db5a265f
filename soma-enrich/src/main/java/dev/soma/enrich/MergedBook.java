package dev.soma.enrich;

import java.util.List;
import java.util.Map;

/**
 * One book as merged from the curated row and every service that found it (see {@link BookMerge}).
 *
 * @param key        the book's key ({@link BookQuery#key()}), unique in {@code raw.enriched_books}
 * @param provenance for each merged field ({@link BookMerge.Field}), the source its value came from:
 *                   an extractor's name, {@code curated} (the CSV) or {@code derived} (computed, e.g. an
 *                   ISBN-10 from the ISBN-13); a field without a value has no entry
 * @param found      the sources that found the book
 */
public record MergedBook(String key, String title, String subtitle, List<Sourced> authors, String publisher,
                         PartialDate published, Integer pageCount, String isbn13, String isbn10, String language,
                         String description, List<Sourced> subjects, Map<BookMerge.Field, String> provenance,
                         List<String> found) {

    /** A value of a list field with the source it came from. */
    public record Sourced(String value, String source) {
    }

    public MergedBook {
        authors = List.copyOf(authors);
        subjects = List.copyOf(subjects);
        provenance = Map.copyOf(provenance);
        found = List.copyOf(found);
    }

    /** The source of a field's value, or null when the field has none. */
    public String sourceOf(BookMerge.Field field) {
        return provenance.get(field);
    }
}
