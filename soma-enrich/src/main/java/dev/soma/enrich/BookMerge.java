package dev.soma.enrich;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges what the services found about one book, field by field, by the rules in {@link #RULES}, and
 * records for every merged value which source it came from.
 *
 * <table>
 *   <caption>The merge rules</caption>
 *   <tr><th>field</th><th>rule</th></tr>
 *   <tr><td>title, subtitle, authors, publisher</td><td>Open Library first (finer cataloguing), then
 *       Google Books, then the curated row (title, author)</td></tr>
 *   <tr><td>published</td><td>the most precise date (day over month over year); a tie goes to Open Library</td></tr>
 *   <tr><td>page count</td><td>from the source whose edition matched the ISBN asked for; then Open Library,
 *       then Google Books (editions differ in length)</td></tr>
 *   <tr><td>language</td><td>Google Books first (it states the volume's language directly), then Open Library</td></tr>
 *   <tr><td>description</td><td>the longest (after HTML removal)</td></tr>
 *   <tr><td>subjects</td><td>the union, each subject once (by {@link BookText#key key}) with the first
 *       source that gave it: Open Library's fine subjects and Google's coarse categories</td></tr>
 *   <tr><td>ISBN-13</td><td>the curated one; else Open Library, then Google Books</td></tr>
 *   <tr><td>ISBN-10</td><td>derived from the ISBN-13 when it starts 978; else Open Library, then Google Books</td></tr>
 * </table>
 * Thread-safe and stateless.
 */
public final class BookMerge {

    /** The merged fields, as named in provenance. */
    public enum Field { TITLE, SUBTITLE, AUTHORS, PUBLISHER, PUBLISHED, PAGE_COUNT, LANGUAGE, DESCRIPTION, SUBJECTS, ISBN13, ISBN10 }

    /** How a field's value is chosen when several sources have one. */
    public enum Rule {
        /** The first source, in the order Open Library, Google Books, curated, that has a value. */
        OPEN_LIBRARY_FIRST,
        /** The first source, in the order Google Books, Open Library, that has a value. */
        GOOGLE_BOOKS_FIRST,
        /** The most precise date; ties in Open Library's favour. */
        MOST_PRECISE,
        /** The source whose edition matched the ISBN asked for; then Open Library first. */
        EDITION_MATCH,
        /** The longest text. */
        LONGEST,
        /** Every distinct value, each with its first source. */
        UNION,
        /** The curated value; then Open Library first. */
        CURATED_FIRST,
        /** Derived from another merged field; else Open Library first. */
        DERIVED_FIRST
    }

    public static final String CURATED = "curated";
    public static final String DERIVED = "derived";

    /** The declared rule of every field. */
    public static final Map<Field, Rule> RULES = Collections.unmodifiableMap(new EnumMap<>(Map.ofEntries(
            Map.entry(Field.TITLE, Rule.OPEN_LIBRARY_FIRST), Map.entry(Field.SUBTITLE, Rule.OPEN_LIBRARY_FIRST),
            Map.entry(Field.AUTHORS, Rule.OPEN_LIBRARY_FIRST), Map.entry(Field.PUBLISHER, Rule.OPEN_LIBRARY_FIRST),
            Map.entry(Field.PUBLISHED, Rule.MOST_PRECISE), Map.entry(Field.PAGE_COUNT, Rule.EDITION_MATCH),
            Map.entry(Field.LANGUAGE, Rule.GOOGLE_BOOKS_FIRST), Map.entry(Field.DESCRIPTION, Rule.LONGEST),
            Map.entry(Field.SUBJECTS, Rule.UNION), Map.entry(Field.ISBN13, Rule.CURATED_FIRST),
            Map.entry(Field.ISBN10, Rule.DERIVED_FIRST))));

    private BookMerge() {
    }

    /**
     * Merges the lookups of one query. Lookups that found nothing are ignored; with none found, the
     * book is the curated row alone (title, author, ISBN), with {@code curated} provenance.
     */
    public static MergedBook merge(BookQuery query, List<Lookup> lookups) {
        Map<String, BookRecord> by = new LinkedHashMap<>();
        for (Lookup l : lookups) {
            if (l.isFound()) {
                by.putIfAbsent(l.source(), l.book());
            }
        }
        List<BookRecord> olFirst = ordered(by, OpenLibraryExtractor.NAME, GoogleBooksExtractor.NAME);
        List<BookRecord> gbFirst = ordered(by, GoogleBooksExtractor.NAME, OpenLibraryExtractor.NAME);
        Map<Field, String> provenance = new EnumMap<>(Field.class);

        String title = first(olFirst, BookRecord::title, Field.TITLE, provenance);
        if (title == null && query.title() != null) {
            title = BookText.casing(query.title());
            provenance.put(Field.TITLE, CURATED);
        }
        String subtitle = first(olFirst, BookRecord::subtitle, Field.SUBTITLE, provenance);
        List<MergedBook.Sourced> authors = new ArrayList<>();
        List<String> names = first(olFirst, r -> r.authors().isEmpty() ? null : r.authors(), Field.AUTHORS, provenance);
        if (names != null) {
            names.forEach(n -> authors.add(new MergedBook.Sourced(n, provenance.get(Field.AUTHORS))));
        } else if (query.author() != null && BookText.authorName(query.author()) != null) {
            authors.add(new MergedBook.Sourced(BookText.authorName(query.author()), CURATED));
            provenance.put(Field.AUTHORS, CURATED);
        }
        String publisher = first(olFirst, r -> r.publishers().isEmpty() ? null : r.publishers().get(0), Field.PUBLISHER, provenance);

        PartialDate published = null;
        for (BookRecord r : olFirst) {
            if (r.published() != null && r.published().morePreciseThan(published)) {
                published = r.published();
                provenance.put(Field.PUBLISHED, r.source());
            }
        }

        Integer pages = null;
        if (query.isbn13() != null) {
            pages = first(olFirst.stream().filter(r -> query.isbn13().equals(r.isbn13())).toList(),
                    BookRecord::pageCount, Field.PAGE_COUNT, provenance);
        }
        if (pages == null) {
            pages = first(olFirst, BookRecord::pageCount, Field.PAGE_COUNT, provenance);
        }
        String language = first(gbFirst, BookRecord::language, Field.LANGUAGE, provenance);

        String description = null;
        for (BookRecord r : olFirst) {
            if (r.description() != null && (description == null || r.description().length() > description.length())) {
                description = r.description();
                provenance.put(Field.DESCRIPTION, r.source());
            }
        }

        Map<String, MergedBook.Sourced> subjects = new LinkedHashMap<>();
        for (BookRecord r : olFirst) {
            for (String s : r.subjects()) {
                String k = BookText.key(s);
                if (!k.isEmpty()) {
                    subjects.putIfAbsent(k, new MergedBook.Sourced(s, r.source()));
                }
            }
        }
        if (!subjects.isEmpty()) {
            provenance.put(Field.SUBJECTS, subjects.values().iterator().next().source());
        }

        String isbn13 = query.isbn13();
        if (isbn13 != null) {
            provenance.put(Field.ISBN13, CURATED);
        } else {
            isbn13 = first(olFirst, BookRecord::isbn13, Field.ISBN13, provenance);
        }
        String isbn10 = BookText.isbn10(isbn13);
        if (isbn10 != null) {
            provenance.put(Field.ISBN10, DERIVED);
        } else {
            isbn10 = first(olFirst, BookRecord::isbn10, Field.ISBN10, provenance);
        }
        return new MergedBook(query.key(), title, subtitle, authors, publisher, published, pages, isbn13, isbn10,
                language, description, new ArrayList<>(subjects.values()), provenance, List.copyOf(by.keySet()));
    }

    private static List<BookRecord> ordered(Map<String, BookRecord> by, String... order) {
        List<BookRecord> out = new ArrayList<>();
        for (String name : order) {
            if (by.containsKey(name)) {
                out.add(by.get(name));
            }
        }
        by.forEach((name, r) -> {
            if (!out.contains(r)) {
                out.add(r);
            }
        });
        return out;
    }

    private static <T> T first(List<BookRecord> records, Function<BookRecord, T> field, Field name, Map<Field, String> provenance) {
        for (BookRecord r : records) {
            T value = field.apply(r);
            if (value != null) {
                provenance.put(name, r.source());
                return value;
            }
        }
        return null;
    }
}
