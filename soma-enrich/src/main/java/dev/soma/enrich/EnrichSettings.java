package dev.soma.enrich;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the book services are and how hard to ask them: the settings of {@code soma enrich run} (its flags) and of
 * {@code soma worker} ({@link #fromEnvironment}: {@code SOMA_OPEN_LIBRARY_URL}, {@code SOMA_GOOGLE_BOOKS_URL},
 * {@code SOMA_OPEN_LIBRARY_RATE}, {@code SOMA_GOOGLE_BOOKS_RATE}, {@code SOMA_ENRICH_TIMEOUT_MS},
 * {@code SOMA_OPEN_LIBRARY_API}). Checked when turned into extractor settings ({@link #openLibrary()},
 * {@link #googleBooks()}, {@link #api()}), whose messages name the flag and the variable to fix.
 *
 * @param openLibraryUrl    Open Library's base URL (default {@code https://openlibrary.org})
 * @param googleBooksUrl    Google Books' base URL (default {@code https://www.googleapis.com})
 * @param openLibraryRate   Open Library requests per minute, all threads together; 0: no limit (default 180)
 * @param googleBooksRate   Google Books requests per minute; 0: no limit (default 100)
 * @param timeoutMillis     per request (default 10,000)
 * @param openLibraryApi    how Open Library is asked by ISBN: {@code data} or {@code editions} (default {@code data})
 * @param googleKeyVariable the environment variable holding a Google Books API key, if any (default
 *                          {@code GOOGLE_BOOKS_API_KEY}); the key is never printed
 */
public record EnrichSettings(String openLibraryUrl, String googleBooksUrl, int openLibraryRate, int googleBooksRate,
                             long timeoutMillis, String openLibraryApi, String googleKeyVariable) {

    public EnrichSettings {
        Objects.requireNonNull(openLibraryUrl, "openLibraryUrl");
        Objects.requireNonNull(googleBooksUrl, "googleBooksUrl");
        Objects.requireNonNull(openLibraryApi, "openLibraryApi");
    }

    /** The real services at their documented rates. */
    public static EnrichSettings defaults() {
        return new EnrichSettings("https://openlibrary.org", "https://www.googleapis.com", 180, 100, 10_000, "data",
                "GOOGLE_BOOKS_API_KEY");
    }

    /** The settings from {@code SOMA_*} environment variables, defaults where unset. */
    public static EnrichSettings fromEnvironment(Function<String, String> env) {
        EnrichSettings d = defaults();
        return new EnrichSettings(or(env.apply("SOMA_OPEN_LIBRARY_URL"), d.openLibraryUrl),
                or(env.apply("SOMA_GOOGLE_BOOKS_URL"), d.googleBooksUrl),
                Integer.parseInt(or(env.apply("SOMA_OPEN_LIBRARY_RATE"), String.valueOf(d.openLibraryRate))),
                Integer.parseInt(or(env.apply("SOMA_GOOGLE_BOOKS_RATE"), String.valueOf(d.googleBooksRate))),
                Long.parseLong(or(env.apply("SOMA_ENRICH_TIMEOUT_MS"), String.valueOf(d.timeoutMillis))),
                or(env.apply("SOMA_OPEN_LIBRARY_API"), d.openLibraryApi), d.googleKeyVariable);
    }

    private static String or(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    /** Open Library's extractor settings. */
    public ExtractorConfig openLibrary() {
        return checked("--open-library-url / --open-library-rate / --timeout-ms", () -> ExtractorConfig.openLibrary()
                .withBaseUrl(openLibraryUrl).withRequestsPerMinute(openLibraryRate).withTimeout(Duration.ofMillis(timeoutMillis)));
    }

    /** Google Books' extractor settings. */
    public ExtractorConfig googleBooks() {
        return checked("--google-books-url / --google-books-rate / --timeout-ms", () -> ExtractorConfig.googleBooks()
                .withBaseUrl(googleBooksUrl).withRequestsPerMinute(googleBooksRate).withTimeout(Duration.ofMillis(timeoutMillis))
                .withApiKeyVariable(googleKeyVariable));
    }

    private static ExtractorConfig checked(String options, Supplier<ExtractorConfig> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new SomaException(ErrorCode.INVALID_CONFIG,
                    options + ": " + e.getMessage() + "; pass an http(s) URL, a rate of 0 or more and a positive timeout");
        }
    }

    /** The Open Library API asked by ISBN. */
    public OpenLibraryExtractor.Api api() {
        return switch (openLibraryApi.toLowerCase(Locale.ROOT)) {
            case "data" -> OpenLibraryExtractor.Api.BOOKS_DATA;
            case "editions" -> OpenLibraryExtractor.Api.EDITIONS;
            default -> throw new SomaException(ErrorCode.INVALID_CONFIG,
                    "--open-library-api (SOMA_OPEN_LIBRARY_API): '" + openLibraryApi + "' is not an Open Library API; use data or editions");
        };
    }

    /** The {@value EnrichBookHandler#KIND} handler with these settings (API key from the process environment), writing to {@code warehouse}. */
    public EnrichBookHandler handler(Warehouse warehouse) {
        return EnrichBookHandler.of(openLibrary(), api(), googleBooks(), System::getenv, warehouse);
    }
}
