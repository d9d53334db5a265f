package dev.soma.cli.enrich;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.ingest.enrich.EnrichBookHandler;
import dev.soma.ingest.enrich.ExtractorConfig;
import dev.soma.ingest.enrich.OpenLibraryExtractor;
import dev.soma.jobs.BatchJobHandler;
import dev.soma.jobs.JobContext;
import dev.soma.jobs.JobQueue;
import dev.soma.jobs.TransactionContext;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Where the book services are and how hard to ask them. Flags for {@code soma enrich run}; the same
 * settings come from environment variables for {@code soma worker} ({@link #fromEnvironment}):
 * {@code SOMA_OPEN_LIBRARY_URL}, {@code SOMA_GOOGLE_BOOKS_URL}, {@code SOMA_OPEN_LIBRARY_RATE},
 * {@code SOMA_GOOGLE_BOOKS_RATE}, {@code SOMA_ENRICH_TIMEOUT_MS}, {@code SOMA_OPEN_LIBRARY_API}.
 */
public final class ServiceOptions {

    @Option(names = "--open-library-url", paramLabel = "URL", defaultValue = "https://openlibrary.org",
            description = "Open Library's base URL (default ${DEFAULT-VALUE}).")
    String openLibraryUrl = "https://openlibrary.org";

    @Option(names = "--google-books-url", paramLabel = "URL", defaultValue = "https://www.googleapis.com",
            description = "Google Books' base URL (default ${DEFAULT-VALUE}).")
    String googleBooksUrl = "https://www.googleapis.com";

    @Option(names = "--open-library-rate", paramLabel = "N", defaultValue = "180",
            description = "Open Library requests per minute, all threads together; 0: no limit (default ${DEFAULT-VALUE}).")
    int openLibraryRate = 180;

    @Option(names = "--google-books-rate", paramLabel = "N", defaultValue = "100",
            description = "Google Books requests per minute; 0: no limit (default ${DEFAULT-VALUE}).")
    int googleBooksRate = 100;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Per request (default ${DEFAULT-VALUE}).")
    long timeoutMs = 10_000;

    @Option(names = "--open-library-api", paramLabel = "API", defaultValue = "data",
            description = "How Open Library is asked by ISBN: 'data' (/api/books?jscmd=data, one request a book, no description"
                    + " or language) or 'editions' (/isbn/ and /authors/, three requests a book) (default ${DEFAULT-VALUE}).")
    String openLibraryApi = "data";

    @Option(names = "--google-key-env", paramLabel = "VAR", defaultValue = "GOOGLE_BOOKS_API_KEY",
            description = "Environment variable holding a Google Books API key, if any (default ${DEFAULT-VALUE}); never printed.")
    String googleKeyVariable = "GOOGLE_BOOKS_API_KEY";

    /** The settings from {@code SOMA_*} environment variables, defaults where unset. */
    public static ServiceOptions fromEnvironment(Function<String, String> env) {
        ServiceOptions o = new ServiceOptions();
        o.openLibraryUrl = or(env.apply("SOMA_OPEN_LIBRARY_URL"), o.openLibraryUrl);
        o.googleBooksUrl = or(env.apply("SOMA_GOOGLE_BOOKS_URL"), o.googleBooksUrl);
        o.openLibraryRate = Integer.parseInt(or(env.apply("SOMA_OPEN_LIBRARY_RATE"), String.valueOf(o.openLibraryRate)));
        o.googleBooksRate = Integer.parseInt(or(env.apply("SOMA_GOOGLE_BOOKS_RATE"), String.valueOf(o.googleBooksRate)));
        o.timeoutMs = Long.parseLong(or(env.apply("SOMA_ENRICH_TIMEOUT_MS"), String.valueOf(o.timeoutMs)));
        o.openLibraryApi = or(env.apply("SOMA_OPEN_LIBRARY_API"), o.openLibraryApi);
        return o;
    }

    private static String or(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    public ExtractorConfig openLibrary() {
        return checked("--open-library-url / --open-library-rate / --timeout-ms", () -> ExtractorConfig.openLibrary()
                .withBaseUrl(openLibraryUrl).withRequestsPerMinute(openLibraryRate).withTimeout(Duration.ofMillis(timeoutMs)));
    }

    public ExtractorConfig googleBooks() {
        return checked("--google-books-url / --google-books-rate / --timeout-ms", () -> ExtractorConfig.googleBooks()
                .withBaseUrl(googleBooksUrl).withRequestsPerMinute(googleBooksRate).withTimeout(Duration.ofMillis(timeoutMs))
                .withApiKeyVariable(googleKeyVariable));
    }

    private static ExtractorConfig checked(String options, java.util.function.Supplier<ExtractorConfig> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new dev.soma.core.error.SomaException(dev.soma.core.error.ErrorCode.INVALID_CONFIG,
                    options + ": " + e.getMessage() + "; pass an http(s) URL, a rate of 0 or more and a positive timeout");
        }
    }

    /** The Open Library API asked by ISBN. */
    public OpenLibraryExtractor.Api openLibraryApi() {
        return switch (openLibraryApi.toLowerCase(java.util.Locale.ROOT)) {
            case "data" -> OpenLibraryExtractor.Api.BOOKS_DATA;
            case "editions" -> OpenLibraryExtractor.Api.EDITIONS;
            default -> throw new dev.soma.core.error.SomaException(dev.soma.core.error.ErrorCode.INVALID_CONFIG,
                    "--open-library-api (SOMA_OPEN_LIBRARY_API): '" + openLibraryApi + "' is not an Open Library API; use data or editions");
        };
    }

    /** The handler with these settings, writing the books to {@code warehouse}. */
    public EnrichBookHandler handler(Warehouse warehouse) {
        return EnrichBookHandler.of(openLibrary(), openLibraryApi(), googleBooks(), System::getenv, warehouse);
    }

    /**
     * Registers {@code enrich_book} with settings from the environment, made on the first job (so that
     * queues that never see one make no HTTP client), writing the books to {@code warehouse}. For {@code soma worker}
     * and {@code soma jobs}; with no warehouse (a PostgreSQL queue without {@code --db}) its jobs fail saying so.
     */
    public static JobQueue.Builder register(JobQueue.Builder builder, Warehouse warehouse) {
        return builder.batchHandler(EnrichBookHandler.KIND, new BatchJobHandler<EnrichBookHandler.Enriched>() {
            private volatile EnrichBookHandler handler;

            @Override
            public EnrichBookHandler.Enriched prepare(JobContext job) {
                return handler().prepare(job);
            }

            @Override
            public void write(List<Prepared<EnrichBookHandler.Enriched>> jobs, TransactionContext transaction) throws Exception {
                handler().write(jobs, transaction);
            }

            private EnrichBookHandler handler() {
                EnrichBookHandler h = handler;
                if (h == null) {
                    synchronized (this) {
                        if (handler == null) {
                            if (warehouse == null) {
                                throw new dev.soma.core.error.SomaException(dev.soma.core.error.ErrorCode.INVALID_CONFIG,
                                        "enrich_book writes its books to a DuckDB warehouse and this worker has none; run the"
                                                + " worker with --db PATH beside --queue-url, then: soma jobs retry-failed --kind enrich_book");
                            }
                            handler = fromEnvironment(System::getenv).handler(warehouse);
                        }
                        h = handler;
                    }
                }
                return h;
            }
        });
    }
}
