package dev.soma.enrich;

/**
 * What to look a book up by: its ISBN-13 when known, else its title and author.
 *
 * @param isbn13 a valid ISBN-13 (digits only), or null
 * @param title  the title as curated, or null when only the ISBN is known
 * @param author the author as curated, or null
 */
public record BookQuery(String isbn13, String title, String author) {

    public BookQuery {
        if (isbn13 != null && !BookText.isIsbn13(isbn13)) {
            throw new IllegalArgumentException("not a valid ISBN-13: " + isbn13 + "; pass 13 digits with a correct check digit, or null");
        }
        if (isbn13 == null && (title == null || title.isBlank())) {
            throw new IllegalArgumentException("a book query needs an ISBN-13 or a title");
        }
    }

    /** A query by ISBN (10 or 13 digits, hyphens allowed), keeping the title and author for the record. */
    public static BookQuery of(String isbn, String title, String author) {
        return new BookQuery(isbn == null || isbn.isBlank() ? null : BookText.isbn13(isbn), blankToNull(title), blankToNull(author));
    }

    /**
     * The key that identifies this book in the queue and in {@code raw}: {@code isbn:<isbn13>}, or
     * {@code title:<normalised title>|<normalised author>} (see {@link BookText#key(String)}).
     */
    public String key() {
        if (isbn13 != null) {
            return "isbn:" + isbn13;
        }
        return "title:" + BookText.key(title) + "|" + BookText.key(author == null ? "" : BookText.authorName(author));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
