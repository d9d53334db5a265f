package dev.soma.enrich.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.enrich.BookText;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A LOCAL STAND-IN for Open Library and Google Books, for the demo, tests and benchmarks: it answers
 * on 127.0.0.1 in both services' response shapes (reference/book-apis.md), from the books
 * {@code soma generate} wrote to {@code raw.books}. It is not the real services and says so in every
 * response ({@code X-Soma-Stand-In: generated data, not the real service}).
 *
 * <p>To look like the real thing it differs between the two the way they do: Open Library names
 * authors "Last, First", gives a year or "Month YYYY", languages as {@code /languages/eng} and fine
 * subjects; Google Books gives full dates, ISO 639-1 languages, a coarse category and an HTML
 * description, and a page count a few pages off (another edition). One book in 13 is unknown to Open
 * Library (404), one in 10 to Google Books ({@code totalItems: 0}).
 */
public final class StandInBookServer implements AutoCloseable {

    public static final String LABEL = "generated data, not the real service";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Book(int n, String isbn, String title, String author, String publisher, String genre, Integer year,
                Integer pages, String language) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Book> byIsbn = new HashMap<>();
    private final Map<Integer, Book> byNumber = new HashMap<>();
    private final Map<String, List<Book>> byTitle = new HashMap<>();
    private final List<Book> books = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final long latencyMillis;

    private StandInBookServer(List<Book> all, int threads, java.time.Duration latency) throws IOException {
        this.latencyMillis = latency.toMillis();
        // The JDK server writes headers and body in separate packets; without TCP_NODELAY each small answer
        // waits on the client's delayed ACK (~40 ms on Linux): 5x slower in the benchmark. Read once, when
        // the JDK server's configuration class loads, so it must be set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        for (Book b : all) {
            books.add(b);
            byIsbn.put(b.isbn(), b);
            byNumber.put(b.n(), b);
            byTitle.computeIfAbsent(BookText.key(b.title()), k -> new ArrayList<>()).add(b);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "soma-stand-in-books");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a free port of 127.0.0.1, serving {@code raw.books} of the warehouse. */
    public static StandInBookServer start(Warehouse warehouse) {
        return start(warehouse, java.time.Duration.ZERO);
    }

    /** As {@link #start(Warehouse)}, answering each request after {@code latency} (a real service's round trip). */
    public static StandInBookServer start(Warehouse warehouse, java.time.Duration latency) {
        if (!warehouse.relationExists("raw", "books")) {
            throw new SomaException(ErrorCode.INVALID_CONFIG, "the stand-in book server serves raw.books, which "
                    + warehouse.describe() + " does not have; run soma generate first");
        }
        boolean publishers = warehouse.relationExists("raw", "publishers");
        List<Book> all = warehouse.queryList(SqlOwner.soma("stand-in books"),
                "SELECT b.isbn, b.title, b.author, " + (publishers ? "p.publisher_name" : "NULL")
                        + ", b.genre, b.publication_year, b.page_count, b.language FROM raw.books b"
                        + (publishers ? " LEFT JOIN raw.publishers p USING (publisher_id)" : "") + " ORDER BY b.book_id",
                rs -> new Book(0, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        (Integer) rs.getObject(6), (Integer) rs.getObject(7), rs.getString(8)));
        List<Book> numbered = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Book b = all.get(i);
            String isbn = BookText.isbn13(b.isbn());
            if (isbn != null) {
                numbered.add(new Book(i + 1, isbn, b.title(), b.author(), b.publisher(), b.genre(), b.year(), b.pages(), b.language()));
            }
        }
        try {
            return new StandInBookServer(numbered, latency.isZero() ? Math.max(8, Runtime.getRuntime().availableProcessors() * 4) : 64,
                    latency);
        } catch (IOException e) {
            throw new SomaException(ErrorCode.SOURCE_UNAVAILABLE, "cannot start the stand-in book server: " + e.getMessage(), e);
        }
    }

    /** The base URL both services answer under, e.g. {@code http://127.0.0.1:43121}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    public int books() {
        return books.size();
    }

    private boolean inOpenLibrary(Book b) {
        return b.n() % 13 != 0;
    }

    private boolean inGoogle(Book b) {
        return b.n() % 10 != 0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            Map<String, String> query = query(uri.getRawQuery());
            if (path.startsWith("/isbn/") && path.endsWith(".json")) {
                Book b = byIsbn.get(path.substring(6, path.length() - 5));
                if (b == null || !inOpenLibrary(b)) {
                    send(exchange, 404, "{\"error\": \"notfound\", \"key\": \"" + path + "\"}", null);
                } else {
                    send(exchange, 302, "", "/books/OL" + b.n() + "M.json");
                }
            } else if (path.startsWith("/books/OL") && path.endsWith("M.json")) {
                Book b = number(path.substring(9, path.length() - 6));
                send(exchange, b == null ? 404 : 200, b == null ? "{}" : edition(b).toString(), null);
            } else if (path.startsWith("/authors/OL") && path.endsWith("A.json")) {
                Book b = number(path.substring(11, path.length() - 6));
                send(exchange, b == null ? 404 : 200, b == null ? "{}"
                        : "{\"key\": \"/authors/OL" + b.n() + "A\", \"name\": " + JSON.writeValueAsString(lastFirst(b.author())) + "}", null);
            } else if (path.equals("/api/books")) {
                send(exchange, 200, booksData(query.getOrDefault("bibkeys", "")).toString(), null);
            } else if (path.equals("/search.json")) {
                send(exchange, 200, search(query.get("title"), query.get("author")).toString(), null);
            } else if (path.equals("/books/v1/volumes")) {
                send(exchange, 200, volumes(query.getOrDefault("q", "")).toString(), null);
            } else {
                send(exchange, 404, "{\"error\": \"not a path the stand-in serves\"}", null);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\": " + JSON.writeValueAsString(String.valueOf(e.getMessage())) + "}", null);
        }
    }

    private Book number(String digits) {
        try {
            return byNumber.get(Integer.parseInt(digits));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code /api/books?bibkeys=ISBN:a,ISBN:b&jscmd=data}: one object keyed by bibkey; unknown ISBNs are absent. */
    private ObjectNode booksData(String bibkeys) {
        ObjectNode out = JSON.createObjectNode();
        for (String bibkey : bibkeys.split(",")) {
            Book b = bibkey.startsWith("ISBN:") ? byIsbn.get(bibkey.substring(5)) : null;
            if (b == null || !inOpenLibrary(b)) {
                continue;
            }
            ObjectNode d = out.putObject(bibkey);
            d.put("url", "/books/OL" + b.n() + "M");
            d.put("key", "/books/OL" + b.n() + "M");
            d.put("title", b.title());
            d.putArray("authors").addObject().put("url", "/authors/OL" + b.n() + "A").put("name", lastFirst(b.author()));
            if (b.publisher() != null) {
                d.putArray("publishers").addObject().put("name", b.publisher());
            }
            if (b.year() != null) {
                d.put("publish_date", b.n() % 2 == 0 ? String.valueOf(b.year()) : monthName(b.n()) + " " + b.year());
            }
            if (b.pages() != null) {
                d.put("number_of_pages", b.pages());
            }
            ArrayNode subjects = d.putArray("subjects");
            if (b.genre() != null) {
                subjects.addObject().put("name", b.genre()).put("url", "/subjects/" + b.genre().toLowerCase(java.util.Locale.ROOT));
            }
            subjects.addObject().put("name", b.n() % 3 == 0 ? "Fiction" : "Publishing");
            d.putObject("identifiers").putArray("isbn_13").add(b.isbn());
        }
        return out;
    }

    private ObjectNode edition(Book b) {
        ObjectNode e = JSON.createObjectNode();
        e.put("key", "/books/OL" + b.n() + "M");
        e.put("title", b.title());
        e.putArray("authors").addObject().put("key", "/authors/OL" + b.n() + "A");
        if (b.publisher() != null) {
            e.putArray("publishers").add(b.publisher());
        }
        if (b.year() != null) {
            e.put("publish_date", b.n() % 2 == 0 ? String.valueOf(b.year()) : monthName(b.n()) + " " + b.year());
        }
        if (b.pages() != null) {
            e.put("number_of_pages", b.pages());
        }
        e.putArray("isbn_13").add(b.isbn());
        String iso3 = iso3(b.language());
        if (iso3 != null) {
            e.putArray("languages").addObject().put("key", "/languages/" + iso3);
        }
        ArrayNode subjects = e.putArray("subjects");
        if (b.genre() != null) {
            subjects.add(b.genre());
        }
        subjects.add(b.n() % 3 == 0 ? "Fiction" : "Publishing");
        if (b.n() % 4 == 0) {
            e.putObject("description").put("type", "/type/text").put("value", "A " + b.genre() + " title.");
        } else if (b.n() % 4 == 1) {
            e.put("description", "A " + b.genre() + " title.");
        }
        e.putArray("works").addObject().put("key", "/works/OL" + b.n() + "W");
        return e;
    }

    private ObjectNode search(String title, String author) {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode docs = JSON.createArrayNode();
        for (Book b : byTitle.getOrDefault(BookText.key(title), List.of())) {
            if (!inOpenLibrary(b) || (author != null && !BookText.key(author).equals(BookText.key(b.author())))) {
                continue;
            }
            ObjectNode d = docs.addObject();
            d.put("key", "/works/OL" + b.n() + "W");
            d.put("title", b.title());
            d.putArray("author_name").add(b.author());
            d.putArray("isbn").add(b.isbn());
            if (b.year() != null) {
                d.put("first_publish_year", b.year());
            }
            String iso3 = iso3(b.language());
            if (iso3 != null) {
                d.putArray("language").add(iso3);
            }
            if (b.genre() != null) {
                d.putArray("subject").add(b.genre());
            }
            if (b.publisher() != null) {
                d.putArray("publisher").add(b.publisher());
            }
        }
        r.put("numFound", docs.size());
        r.set("docs", docs);
        return r;
    }

    private ObjectNode volumes(String q) {
        List<Book> found = new ArrayList<>();
        if (q.startsWith("isbn:")) {
            Book b = byIsbn.get(q.substring(5).strip());
            if (b != null) {
                found.add(b);
            }
        } else {
            String title = between(q, "intitle:", "inauthor:");
            String author = q.contains("inauthor:") ? q.substring(q.indexOf("inauthor:") + 9) : null;
            for (Book b : byTitle.getOrDefault(BookText.key(title), List.of())) {
                if (author == null || BookText.key(author).equals(BookText.key(b.author()))) {
                    found.add(b);
                }
            }
        }
        found.removeIf(b -> !inGoogle(b));
        ObjectNode r = JSON.createObjectNode();
        r.put("kind", "books#volumes");
        r.put("totalItems", found.size());
        if (!found.isEmpty()) {
            ArrayNode items = r.putArray("items");
            for (Book b : found) {
                ObjectNode item = items.addObject();
                item.put("kind", "books#volume");
                item.put("id", "standin" + b.n());
                ObjectNode v = item.putObject("volumeInfo");
                v.put("title", b.title());
                v.putArray("authors").add(b.author());
                if (b.n() % 5 == 0 && b.publisher() != null) {
                    v.put("publisher", b.publisher());
                }
                if (b.year() != null) {
                    v.put("publishedDate", b.n() % 3 == 0 ? String.valueOf(b.year())
                            : String.format("%d-%02d-%02d", b.year(), 1 + b.n() % 12, 1 + b.n() % 28));
                }
                v.put("description", "<p>" + b.title() + ": a <b>" + b.genre() + "</b> book by " + b.author() + ".</p>");
                ArrayNode ids = v.putArray("industryIdentifiers");
                ids.addObject().put("type", "ISBN_13").put("identifier", b.isbn());
                String isbn10 = BookText.isbn10(b.isbn());
                if (isbn10 != null) {
                    ids.addObject().put("type", "ISBN_10").put("identifier", isbn10);
                }
                if (b.pages() != null) {
                    v.put("pageCount", b.pages() + (b.n() % 7));
                }
                if (b.genre() != null) {
                    v.putArray("categories").add(b.n() % 2 == 0 ? "Fiction" : b.genre());
                }
                String iso2 = BookText.language(b.language());
                if (iso2 != null) {
                    v.put("language", iso2);
                }
            }
        }
        return r;
    }

    private static String between(String q, String start, String end) {
        int from = q.indexOf(start);
        if (from < 0) {
            return "";
        }
        from += start.length();
        int to = q.indexOf(end, from);
        String s = to < 0 ? q.substring(from) : q.substring(from, to);
        return s.strip();
    }

    private static String iso3(String language) {
        String two = BookText.language(language);
        if (two == null) {
            return null;
        }
        return switch (two) {
            case "fr" -> "fre";
            case "de" -> "ger";
            default -> java.util.Locale.forLanguageTag(two).getISO3Language();
        };
    }

    private static String monthName(int n) {
        return java.time.Month.of(1 + n % 12).getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
    }

    private static String lastFirst(String name) {
        if (name == null) {
            return null;
        }
        int space = name.strip().lastIndexOf(' ');
        return space < 0 ? name : name.substring(space + 1).strip() + ", " + name.substring(0, space).strip();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String body, String location) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().add("X-Soma-Stand-In", LABEL);
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
