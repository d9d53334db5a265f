package dev.soma.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.enrich.internal.ServiceClient;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.soma.enrich.OpenLibraryExtractor.iterable;
import static dev.soma.enrich.OpenLibraryExtractor.positive;
import static dev.soma.enrich.OpenLibraryExtractor.strings;
import static dev.soma.enrich.OpenLibraryExtractor.text;

/**
 * Google Books: {@code GET /books/v1/volumes?q=isbn:{isbn}}, or {@code q=intitle:…+inauthor:…} without
 * an ISBN; of the items the {@link BestMatch best} is kept ({@code totalItems: 0}, a missing or empty
 * {@code items} is "not found"). The API key, when its environment variable
 * ({@link ExtractorConfig#apiKeyVariable()}) is set, goes in {@code key=} and is never shown. Thread-safe.
 */
public final class GoogleBooksExtractor implements BookExtractor {

    public static final String NAME = "google_books";

    private final ServiceClient client;

    public GoogleBooksExtractor(ExtractorConfig config) {
        this(config, System::getenv);
    }

    public GoogleBooksExtractor(ExtractorConfig config, Function<String, String> env) {
        this.client = new ServiceClient(NAME, config, env);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Lookup lookup(BookQuery query) {
        String q;
        if (query.isbn13() != null) {
            q = "isbn:" + query.isbn13();
        } else {
            q = "intitle:" + ServiceClient.encode(query.title())
                    + (query.author() == null ? "" : "+inauthor:" + ServiceClient.encode(BookText.authorName(query.author())));
        }
        JsonNode result = client.get("/books/v1/volumes?q=" + q + "&maxResults=10");
        if (result == null || !result.isObject()) {
            return Lookup.notFound(NAME);
        }
        BookRecord.MatchedBy by = query.isbn13() != null ? BookRecord.MatchedBy.ISBN : BookRecord.MatchedBy.SEARCH;
        List<BookRecord> candidates = new ArrayList<>();
        for (JsonNode item : iterable(result.get("items"))) {
            JsonNode info = item.get("volumeInfo");
            if (info == null || !info.isObject()) {
                continue;
            }
            String isbn13 = null;
            String isbn10 = null;
            for (JsonNode id : iterable(info.get("industryIdentifiers"))) {
                String type = text(id.get("type"));
                String value = text(id.get("identifier"));
                if ("ISBN_13".equals(type) && BookText.isIsbn13(value)) {
                    isbn13 = isbn13 == null || value.equals(query.isbn13()) ? value : isbn13;
                } else if ("ISBN_10".equals(type) && isbn10 == null && BookText.isbn13(value) != null) {
                    isbn10 = value;
                }
            }
            if (isbn13 == null && isbn10 != null) {
                isbn13 = BookText.isbn13(isbn10);
            }
            List<String> authors = new ArrayList<>();
            for (JsonNode a : iterable(info.get("authors"))) {
                String name = BookText.authorName(text(a));
                if (name != null && !authors.contains(name)) {
                    authors.add(name);
                }
            }
            String publisher = text(info.get("publisher"));
            candidates.add(new BookRecord(NAME, text(item.get("id")), by, BookText.casing(text(info.get("title"))),
                    BookText.casing(text(info.get("subtitle"))), authors, publisher == null ? List.of() : List.of(publisher),
                    PartialDate.parse(text(info.get("publishedDate"))), positive(info.get("pageCount")),
                    isbn10 != null ? isbn10 : BookText.isbn10(isbn13), isbn13, BookText.language(text(info.get("language"))),
                    strings(info.get("categories")), BookText.stripHtml(text(info.get("description")))));
        }
        BookRecord best = BestMatch.choose(query, candidates);
        return best == null ? Lookup.notFound(NAME) : Lookup.found(best);
    }
}
