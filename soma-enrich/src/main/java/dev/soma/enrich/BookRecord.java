package dev.soma.enrich;

import java.util.List;

/**
 * What one service says about one book, already normalised (see {@link BookText}): every field may be
 * null or empty, since every field can be missing in either service's answer.
 *
 * @param source      the extractor's name ({@code open_library}, {@code google_books})
 * @param sourceId    the service's own id (an Open Library edition key, a Google volume id), or null
 * @param matchedBy   how it was found: by the ISBN asked for, or by title and author search
 * @param isbn13      the ISBN-13 of the edition returned (from its identifiers), or null
 * @param authors     display names, "First Last"
 * @param publishers  publisher names, as given
 * @param subjects    subjects (Open Library, many and fine) or categories (Google, few and coarse)
 * @param language    ISO 639-1 where one exists ({@link BookText#language})
 * @param description plain text, HTML removed
 */
public record BookRecord(String source, String sourceId, MatchedBy matchedBy, String title, String subtitle,
                         List<String> authors, List<String> publishers, PartialDate published, Integer pageCount,
                         String isbn10, String isbn13, String language, List<String> subjects, String description) {

    /** How a record was found. */
    public enum MatchedBy { ISBN, SEARCH }

    public BookRecord {
        authors = authors == null ? List.of() : List.copyOf(authors);
        publishers = publishers == null ? List.of() : List.copyOf(publishers);
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
    }
}
