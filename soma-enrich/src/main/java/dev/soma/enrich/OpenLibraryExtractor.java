package dev.soma.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.enrich.internal.ServiceClient;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Open Library. By ISBN, one of two APIs ({@link Api}): {@code GET /api/books?bibkeys=ISBN:{isbn}&format=json&jscmd=data}
 * (the default: one request a book, author names inline, but no description and no language), or the
 * edition: {@code GET /isbn/{isbn}.json} (a 302 to the edition, followed) and one {@code GET /authors/{id}.json}
 * per author for the names (three requests a book, with description and language). Without an ISBN,
 * {@code GET /search.json?title=…&author=…} and the {@link BestMatch best} of the first docs.
 * Thread-safe; the rate limit (about 180 a minute on the real service) is shared by all threads.
 */
public final class OpenLibraryExtractor implements BookExtractor {

    public static final String NAME = "open_library";

    /** Which Open Library API answers lookups by ISBN. */
    public enum Api {
        /** {@code /api/books?…&jscmd=data}: one request a book; Open Library then gives no description or language. */
        BOOKS_DATA,
        /** {@code /isbn/{isbn}.json} and {@code /authors/{id}.json}: about three requests a book, every edition field. */
        EDITIONS
    }

    private final ServiceClient client;
    private final Api api;

    /** The {@link Api#BOOKS_DATA} API, with the API key variable (if any) read from the process environment. */
    public OpenLibraryExtractor(ExtractorConfig config) {
        this(config, System::getenv, Api.BOOKS_DATA);
    }

    public OpenLibraryExtractor(ExtractorConfig config, Function<String, String> env, Api api) {
        this.client = new ServiceClient(NAME, config, env);
        this.api = java.util.Objects.requireNonNull(api, "api");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Lookup lookup(BookQuery query) {
        if (query.isbn13() == null) {
            return search(query);
        }
        return api == Api.BOOKS_DATA ? byIsbnData(query.isbn13()) : byIsbn(query.isbn13());
    }

    /** {@code jscmd=data}: one object keyed by bibkey; an unknown ISBN is simply absent. */
    private Lookup byIsbnData(String isbn13) {
        String bibkey = "ISBN:" + isbn13;
        JsonNode result = client.get("/api/books?bibkeys=" + bibkey + "&format=json&jscmd=data");
        JsonNode book = result == null ? null : result.get(bibkey);
        if (book == null || !book.isObject()) {
            return Lookup.notFound(NAME);
        }
        List<String> authors = new ArrayList<>();
        for (JsonNode a : iterable(book.get("authors"))) {
            add(authors, BookText.authorName(a.isObject() ? text(a.get("name")) : text(a)));
        }
        return Lookup.found(new BookRecord(NAME, text(book.get("key")), BookRecord.MatchedBy.ISBN,
                BookText.casing(text(book.get("title"))), BookText.casing(text(book.get("subtitle"))), authors,
                strings(book.get("publishers")), PartialDate.parse(text(book.get("publish_date"))),
                positive(book.get("number_of_pages")), BookText.isbn10(isbn13), isbn13, null, strings(book.get("subjects")), null));
    }

    private Lookup byIsbn(String isbn13) {
        JsonNode edition = client.get("/isbn/" + isbn13 + ".json");
        if (edition == null || !edition.isObject()) {
            return Lookup.notFound(NAME);
        }
        List<String> authors = new ArrayList<>();
        for (JsonNode a : iterable(edition.get("authors"))) {
            String name = text(a.get("name"));
            String key = text(a.get("key"));
            if (name == null && key != null && key.startsWith("/authors/")) {
                JsonNode author = client.get(key + ".json");
                name = author == null ? null : text(author.get("name"));
            }
            add(authors, BookText.authorName(name));
        }
        // the edition Open Library redirects /isbn/{isbn} to is that ISBN's edition
        String isbn = isbn13;
        String language = null;
        for (JsonNode l : iterable(edition.get("languages"))) {
            language = language != null ? language : BookText.language(text(l.get("key")));
        }
        JsonNode description = edition.get("description");
        String desc = description == null ? null
                : description.isObject() ? text(description.get("value")) : text(description);
        return Lookup.found(new BookRecord(NAME, text(edition.get("key")), BookRecord.MatchedBy.ISBN,
                BookText.casing(text(edition.get("title"))), BookText.casing(text(edition.get("subtitle"))), authors,
                strings(edition.get("publishers")), PartialDate.parse(text(edition.get("publish_date"))),
                positive(edition.get("number_of_pages")), BookText.isbn10(isbn), isbn, language, strings(edition.get("subjects")), BookText.stripHtml(desc)));
    }

    private Lookup search(BookQuery query) {
        StringBuilder path = new StringBuilder("/search.json?title=").append(ServiceClient.encode(query.title()));
        if (query.author() != null) {
            path.append("&author=").append(ServiceClient.encode(BookText.authorName(query.author())));
        }
        path.append("&limit=10");
        JsonNode result = client.get(path.toString());
        if (result == null) {
            return Lookup.notFound(NAME);
        }
        List<BookRecord> candidates = new ArrayList<>();
        for (JsonNode doc : iterable(result.get("docs"))) {
            List<String> authors = new ArrayList<>();
            for (JsonNode a : iterable(doc.get("author_name"))) {
                add(authors, BookText.authorName(text(a)));
            }
            String isbn = firstIsbn13(doc.get("isbn"), null);
            String language = null;
            for (JsonNode l : iterable(doc.get("language"))) {
                language = language != null ? language : BookText.language(text(l));
            }
            JsonNode year = doc.get("first_publish_year");
            candidates.add(new BookRecord(NAME, text(doc.get("key")), BookRecord.MatchedBy.SEARCH,
                    BookText.casing(text(doc.get("title"))), BookText.casing(text(doc.get("subtitle"))), authors,
                    strings(doc.get("publisher")), year == null || year.isNull() ? null : PartialDate.parse(year.asText()),
                    positive(doc.get("number_of_pages_median")), isbn == null ? null : BookText.isbn10(isbn), isbn,
                    language, strings(doc.get("subject")), null));
        }
        BookRecord best = BestMatch.choose(query, candidates);
        return best == null ? Lookup.notFound(NAME) : Lookup.found(best);
    }

    static Iterable<JsonNode> iterable(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : BookText.text(node.asText());
    }

    static Integer positive(JsonNode node) {
        if (node == null || !node.canConvertToInt()) {
            return null;
        }
        int n = node.asInt();
        return n > 0 ? n : null;
    }

    /** Text values of a list of strings, or of objects with a name; whitespace-normalised, no repeats. */
    static List<String> strings(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : iterable(node)) {
            String s = n.isObject() ? text(n.get("name")) : text(n);
            if (s != null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** The first valid ISBN-13 of a list of ISBN-13s, else of a list of ISBN-10s, converted. */
    static String firstIsbn13(JsonNode thirteens, JsonNode tens) {
        for (JsonNode list : new JsonNode[]{thirteens, tens}) {
            for (JsonNode n : iterable(list)) {
                String isbn = BookText.isbn13(text(n));
                if (isbn != null) {
                    return isbn;
                }
            }
        }
        return null;
    }

    private static void add(List<String> list, String value) {
        if (value != null && !list.contains(value)) {
            list.add(value);
        }
    }
}
