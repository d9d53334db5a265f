package dev.soma.enrich;

import dev.soma.enrich.BookApiServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both extractors against a real local server serving the shapes of reference/book-apis.md. */
class ExtractorsTest {

    private static final String ISBN = "9780140328721";
    private BookApiServer server;
    private ExtractorConfig config;

    @BeforeEach
    void start() throws Exception {
        server = new BookApiServer();
        config = ExtractorConfig.openLibrary().withBaseUrl(server.url()).withTimeout(Duration.ofMillis(500))
                .withRequestsPerMinute(0).withRetries(2, Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenLibraryExtractor openLibrary() {
        return new OpenLibraryExtractor(config, name -> null, OpenLibraryExtractor.Api.EDITIONS);
    }

    private GoogleBooksExtractor google(Map<String, String> env) {
        return new GoogleBooksExtractor(config.withApiKeyVariable("GOOGLE_BOOKS_API_KEY"), env::get);
    }

    @Test
    void openLibraryFollowsTheIsbnRedirectAndFetchesAuthorNames() {
        server.on("/isbn/" + ISBN + ".json", Reply.redirect("/books/OL7353617M.json"))
                .on("/books/OL7353617M.json", Reply.json("""
                        {"key": "/books/OL7353617M", "title": "Fantastic Mr. Fox", "authors": [{"key": "/authors/OL34184A"}],
                         "publishers": ["Puffin"], "publish_date": "October 1, 1988", "number_of_pages": 96,
                         "isbn_10": ["0140328726"], "isbn_13": ["9780140328721"], "languages": [{"key": "/languages/eng"}],
                         "subjects": ["Foxes", "Fiction"], "description": {"type": "/type/text", "value": "A <b>fox</b> outwits three farmers."},
                         "works": [{"key": "/works/OL45804W"}]}"""))
                .on("/authors/OL34184A.json", Reply.json("{\"name\": \"Dahl, Roald\", \"key\": \"/authors/OL34184A\"}"));

        Lookup lookup = openLibrary().lookup(BookQuery.of(ISBN, null, null));

        assertThat(lookup.isFound()).isTrue();
        BookRecord b = lookup.book();
        assertThat(b.source()).isEqualTo("open_library");
        assertThat(b.title()).isEqualTo("Fantastic Mr. Fox");
        assertPuffinEdition(b);
        assertThat(b.language()).isEqualTo("en");
        assertThat(b.subjects()).containsExactly("Foxes", "Fiction");
        assertThat(b.description()).isEqualTo("A fox outwits three farmers.");
        assertThat(b.matchedBy()).isEqualTo(BookRecord.MatchedBy.ISBN);
    }

    /** Authors, publisher, date, pages and ISBNs of the 1988 Puffin edition of Fantastic Mr. Fox. */
    private static void assertPuffinEdition(BookRecord b) {
        assertThat(b.authors()).containsExactly("Roald Dahl");
        assertThat(b.publishers()).containsExactly("Puffin");
        assertThat(b.published().toString()).isEqualTo("1988-10-01");
        assertThat(b.pageCount()).isEqualTo(96);
        assertThat(b.isbn13()).isEqualTo(ISBN);
        assertThat(b.isbn10()).isEqualTo("0140328726");
    }

    /** A record found with none of title, authors, publishers, date or pages. */
    private static void assertNoBookFields(BookRecord b) {
        assertThat(b.title()).isNull();
        assertThat(b.authors()).isEmpty();
        assertThat(b.publishers()).isEmpty();
        assertThat(b.published()).isNull();
        assertThat(b.pageCount()).isNull();
    }

    private OpenLibraryExtractor openLibraryData() {
        return new OpenLibraryExtractor(config, name -> null, OpenLibraryExtractor.Api.BOOKS_DATA);
    }

    @Test
    void openLibraryBooksDataIsOneRequestWithAuthorNamesInline() {
        server.on("/api/books?bibkeys=ISBN:" + ISBN + "&format=json&jscmd=data", Reply.json("""
                {"ISBN:9780140328721": {"url": "https://openlibrary.org/books/OL7353617M/Fantastic_Mr._Fox",
                  "key": "/books/OL7353617M", "title": "FANTASTIC MR. FOX", "subtitle": "a story",
                  "authors": [{"url": "https://openlibrary.org/authors/OL34184A/Roald_Dahl", "name": "Dahl, Roald"}],
                  "number_of_pages": 96, "publishers": [{"name": "Puffin"}], "publish_date": "October 1, 1988",
                  "subjects": [{"name": "Foxes", "url": "https://openlibrary.org/subjects/foxes"}, {"name": "Fiction", "url": "x"}],
                  "identifiers": {"isbn_10": ["0140328726"], "isbn_13": ["9780140328721"], "openlibrary": ["OL7353617M"]},
                  "cover": {"small": "s.jpg", "medium": "m.jpg", "large": "l.jpg"}}}"""));

        BookRecord b = openLibraryData().lookup(BookQuery.of(ISBN, null, null)).book();

        assertThat(server.requests).hasSize(1);
        assertThat(b.sourceId()).isEqualTo("/books/OL7353617M");
        assertThat(b.title()).isEqualTo("Fantastic Mr. Fox");
        assertThat(b.subtitle()).isEqualTo("A Story");
        assertPuffinEdition(b);
        assertThat(b.subjects()).containsExactly("Foxes", "Fiction");
        assertThat(b.language()).as("jscmd=data has no languages").isNull();
        assertThat(b.description()).as("jscmd=data has no description").isNull();
    }

    @Test
    void openLibraryBooksDataWithTheIsbnAbsentOrEveryFieldMissing() {
        String path = "/api/books?bibkeys=ISBN:" + ISBN + "&format=json&jscmd=data";
        server.on(path, Reply.json("{}"), Reply.json("{\"ISBN:9780140328721\": {}}"));
        assertThat(openLibraryData().lookup(BookQuery.of(ISBN, null, null)).isFound()).as("an unknown ISBN is absent").isFalse();
        BookRecord b = openLibraryData().lookup(BookQuery.of(ISBN, null, null)).book();
        assertNoBookFields(b);
        assertThat(b.subjects()).isEmpty();
    }

    @Test
    void openLibraryDescriptionAsAPlainStringAndEveryOtherFieldMissing() {
        server.on("/isbn/" + ISBN + ".json", Reply.json("{\"key\": \"/books/OL1M\", \"description\": \"Plain text.\"}"));
        BookRecord b = openLibrary().lookup(BookQuery.of(ISBN, null, null)).book();
        assertThat(b.description()).isEqualTo("Plain text.");
        assertNoBookFields(b);
        assertThat(b.language()).isNull();
        assertThat(b.subjects()).isEmpty();
    }

    @Test
    void aFourOhFourIsNotFoundNotAnError() {
        assertThat(openLibrary().lookup(BookQuery.of(ISBN, null, null)).isFound()).isFalse();
        assertThat(server.count("/isbn/")).isEqualTo(1);
    }

    @Test
    void openLibrarySearchTakesTheBestMatch() {
        server.on("/search.json?title=The+Witches&author=Roald+Dahl&limit=10", Reply.json("""
                {"numFound": 3, "docs": [
                  {"key": "/works/OL1W", "title": "The Witches of Eastwick", "author_name": ["John Updike"]},
                  {"key": "/works/OL2W", "title": "The Witches", "author_name": ["Roald Dahl"], "isbn": ["0141322640", "9780141322643"],
                   "first_publish_year": 1983, "language": ["eng"], "subject": ["Witches"], "publisher": ["Puffin"]},
                  {"key": "/works/OL3W", "title": "The Witches", "author_name": ["Someone Else"]}]}"""));
        Lookup lookup = openLibrary().lookup(BookQuery.of(null, "The Witches", "Dahl, Roald"));
        assertThat(lookup.book().sourceId()).isEqualTo("/works/OL2W");
        assertThat(lookup.book().isbn13()).isEqualTo("9780141322643");
        assertThat(lookup.book().published().toString()).isEqualTo("1983");
        assertThat(lookup.book().matchedBy()).isEqualTo(BookRecord.MatchedBy.SEARCH);
    }

    @Test
    void searchWithNoGoodMatchIsNotFound() {
        server.on("/search.json?title=Nothing&limit=10", Reply.json("{\"numFound\": 1, \"docs\": [{\"title\": \"Something\"}]}"));
        assertThat(openLibrary().lookup(BookQuery.of(null, "Nothing", null)).isFound()).isFalse();
    }

    @Test
    void googleKeepsTheItemOfTheIsbnAmongSeveralAndStripsHtml() {
        server.on("/books/v1/volumes?q=isbn:" + ISBN + "&maxResults=10", Reply.json("""
                {"kind": "books#volumes", "totalItems": 2, "items": [
                  {"id": "other", "volumeInfo": {"title": "Fantastic Mr Fox", "authors": ["Roald Dahl"],
                    "industryIdentifiers": [{"type": "ISBN_13", "identifier": "9780142410349"}], "pageCount": 81}},
                  {"id": "this", "volumeInfo": {"title": "Fantastic Mr Fox", "subtitle": "a story", "authors": ["Roald Dahl"],
                    "publishedDate": "2015-01", "description": "<p>The <i>farmers</i> &amp; the fox.</p>",
                    "industryIdentifiers": [{"type": "ISBN_10", "identifier": "0140328726"}, {"type": "ISBN_13", "identifier": "9780140328721"},
                                            {"type": "OTHER", "identifier": "OCLC:123"}],
                    "pageCount": 96, "categories": ["Juvenile Fiction"], "language": "en", "imageLinks": {"thumbnail": "x"}}}]}"""));
        BookRecord b = google(Map.of()).lookup(BookQuery.of(ISBN, null, null)).book();
        assertThat(b.sourceId()).isEqualTo("this");
        assertThat(b.subtitle()).isEqualTo("A Story");
        assertThat(b.published().toString()).isEqualTo("2015-01");
        assertThat(b.published().precision()).isEqualTo(PartialDate.Precision.MONTH);
        assertThat(b.description()).isEqualTo("The farmers & the fox.");
        assertThat(b.publishers()).isEmpty();
        assertThat(b.subjects()).containsExactly("Juvenile Fiction");
        assertThat(b.language()).isEqualTo("en");
        assertThat(b.isbn10()).isEqualTo("0140328726");
    }

    @Test
    void googleTotalItemsZeroWithOrWithoutItemsIsNotFound() {
        server.on("/books/v1/volumes?q=isbn:" + ISBN + "&maxResults=10", Reply.json("{\"kind\": \"books#volumes\", \"totalItems\": 0}"));
        assertThat(google(Map.of()).lookup(BookQuery.of(ISBN, null, null)).isFound()).isFalse();
        server.on("/books/v1/volumes?q=isbn:" + ISBN + "&maxResults=10", Reply.json("{\"kind\": \"books#volumes\", \"totalItems\": 0, \"items\": []}"));
        assertThat(google(Map.of()).lookup(BookQuery.of(ISBN, null, null)).isFound()).isFalse();
    }

    @Test
    void googleSendsTheKeyFromTheEnvironmentButNeverShowsIt() {
        String path = "/books/v1/volumes?q=isbn:" + ISBN + "&maxResults=10";
        server.on(path + "&key=s3cret", Reply.status(403, "{\"error\": {\"code\": 403}}"));
        assertThatThrownBy(() -> google(Map.of("GOOGLE_BOOKS_API_KEY", "s3cret")).lookup(BookQuery.of(ISBN, null, null)))
                .isInstanceOf(EnrichException.class)
                .hasMessageContaining("HTTP 403").hasMessageContaining("API key").hasMessageNotContaining("s3cret");
        assertThat(server.requests).containsExactly(path + "&key=s3cret");
    }

    @Test
    void googleSearchByTitleAndAuthor() {
        server.on("/books/v1/volumes?q=intitle:Matilda+inauthor:Roald+Dahl&maxResults=10", Reply.json("""
                {"totalItems": 1, "items": [{"id": "m", "volumeInfo": {"title": "Matilda", "authors": ["Roald Dahl"],
                 "publishedDate": "1988-10-01", "industryIdentifiers": [{"type": "ISBN_10", "identifier": "0140328726"}]}}]}"""));
        BookRecord b = google(Map.of()).lookup(BookQuery.of(null, "Matilda", "Dahl, Roald")).book();
        assertThat(b.sourceId()).isEqualTo("m");
        assertThat(b.isbn13()).isEqualTo(ISBN);
        assertThat(b.published().precision()).isEqualTo(PartialDate.Precision.DAY);
    }

    @Test
    void a429ThenSuccessIsRetriedHonouringRetryAfter() {
        String path = "/books/v1/volumes?q=isbn:" + ISBN + "&maxResults=10";
        server.on(path, Reply.status(429, "{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\"}}").withHeader("Retry-After", "1"),
                Reply.json("{\"totalItems\": 1, \"items\": [{\"id\": \"a\", \"volumeInfo\": {\"title\": \"T\"}}]}"));
        long start = System.nanoTime();
        Lookup lookup = google(Map.of()).lookup(BookQuery.of(ISBN, null, null));
        assertThat(lookup.book().title()).isEqualTo("T");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(server.count(path)).isEqualTo(2);
    }

    @Test
    void fiveHundredsUntilTheRetriesRunOutIsAnErrorNamingTheUrl() {
        server.on("/isbn/" + ISBN + ".json", Reply.status(503, "busy"));
        assertThatThrownBy(() -> openLibrary().lookup(BookQuery.of(ISBN, null, null)))
                .isInstanceOf(EnrichException.class)
                .hasMessageContaining("open_library: GET " + server.url() + "/isbn/" + ISBN + ".json failed after 3 tries")
                .hasMessageContaining("HTTP 503").hasMessageContaining("retry the failed jobs later");
        assertThat(server.count("/isbn/")).isEqualTo(3);
    }

    @Test
    void aHangPastTheTimeoutIsRetriedThenAnError() {
        server.on("/isbn/" + ISBN + ".json", Reply.json("{}").after(3_000));
        long start = System.nanoTime();
        assertThatThrownBy(() -> openLibrary().lookup(BookQuery.of(ISBN, null, null)))
                .isInstanceOf(EnrichException.class).hasMessageContaining("no answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_900));
    }

    @Test
    void aHangOnceThenAnAnswerSucceeds() {
        server.on("/isbn/" + ISBN + ".json", Reply.json("{}").after(2_000), Reply.json("{\"title\": \"Late\"}"));
        assertThat(openLibrary().lookup(BookQuery.of(ISBN, null, null)).book().title()).isEqualTo("Late");
    }

    @Test
    void invalidJsonIsAnErrorThatSaysSo() {
        server.on("/isbn/" + ISBN + ".json", Reply.json("<html>oops</html>"));
        assertThatThrownBy(() -> openLibrary().lookup(BookQuery.of(ISBN, null, null)))
                .isInstanceOf(EnrichException.class).hasMessageContaining("invalid JSON").hasMessageContaining("<html>oops");
        assertThat(server.count("/isbn/")).isEqualTo(1);
    }

    @Test
    void theRateLimitSpacesRequests() {
        server.on("/isbn/" + ISBN + ".json", Reply.json("{\"title\": \"T\"}"));
        OpenLibraryExtractor limited = new OpenLibraryExtractor(config.withRequestsPerMinute(600), n -> null, OpenLibraryExtractor.Api.EDITIONS); // one per 100 ms
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            limited.lookup(BookQuery.of(ISBN, null, null));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
    }

    @Test
    void extractorsAreRegisteredByName() {
        assertThat(Extractors.names()).containsExactly("open_library", "google_books");
        assertThat(Extractors.create("google_books", config, n -> null)).isInstanceOf(GoogleBooksExtractor.class);
        assertThatThrownBy(() -> Extractors.create("amazon", config, n -> null))
                .hasMessage("no extractor named 'amazon'; the extractors are [open_library, google_books]");
    }
}
