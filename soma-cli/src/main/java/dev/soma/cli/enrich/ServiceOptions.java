package dev.soma.cli.enrich;

import dev.soma.enrich.EnrichSettings;
import picocli.CommandLine.Option;

/**
 * The flags of {@code soma enrich run} that say where the book services are and how hard to ask them; mapped onto
 * {@link EnrichSettings} (which {@code soma worker} reads from {@code SOMA_*} variables instead).
 */
final class ServiceOptions {

    @Option(names = "--open-library-url", paramLabel = "URL", defaultValue = "https://openlibrary.org",
            description = "Open Library's base URL (default ${DEFAULT-VALUE}).")
    String openLibraryUrl;

    @Option(names = "--google-books-url", paramLabel = "URL", defaultValue = "https://www.googleapis.com",
            description = "Google Books' base URL (default ${DEFAULT-VALUE}).")
    String googleBooksUrl;

    @Option(names = "--open-library-rate", paramLabel = "N", defaultValue = "180",
            description = "Open Library requests per minute, all threads together; 0: no limit (default ${DEFAULT-VALUE}).")
    int openLibraryRate;

    @Option(names = "--google-books-rate", paramLabel = "N", defaultValue = "100",
            description = "Google Books requests per minute; 0: no limit (default ${DEFAULT-VALUE}).")
    int googleBooksRate;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Per request (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--open-library-api", paramLabel = "API", defaultValue = "data",
            description = "How Open Library is asked by ISBN: 'data' (/api/books?jscmd=data, one request a book, no description"
                    + " or language) or 'editions' (/isbn/ and /authors/, three requests a book) (default ${DEFAULT-VALUE}).")
    String openLibraryApi;

    @Option(names = "--google-key-env", paramLabel = "VAR", defaultValue = "GOOGLE_BOOKS_API_KEY",
            description = "Environment variable holding a Google Books API key, if any (default ${DEFAULT-VALUE}); never printed.")
    String googleKeyVariable;

    /** The flags as settings. */
    EnrichSettings settings() {
        return new EnrichSettings(openLibraryUrl, googleBooksUrl, openLibraryRate, googleBooksRate, timeoutMs, openLibraryApi,
                googleKeyVariable);
    }
}
