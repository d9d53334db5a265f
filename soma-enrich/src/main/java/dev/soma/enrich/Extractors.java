package dev.soma.enrich;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The extractors by name: {@code open_library}, {@code google_books}. */
public final class Extractors {

    private static final Map<String, BiFunction<ExtractorConfig, Function<String, String>, BookExtractor>> KINDS = Map.of(
            OpenLibraryExtractor.NAME, (config, env) -> new OpenLibraryExtractor(config, env, OpenLibraryExtractor.Api.BOOKS_DATA),
            GoogleBooksExtractor.NAME, GoogleBooksExtractor::new);

    private Extractors() {
    }

    /** The registered names, in merge-preference order. */
    public static List<String> names() {
        return List.of(OpenLibraryExtractor.NAME, GoogleBooksExtractor.NAME);
    }

    /** The default configuration for the real service of that name. */
    public static ExtractorConfig defaults(String name) {
        return switch (check(name)) {
            case OpenLibraryExtractor.NAME -> ExtractorConfig.openLibrary();
            default -> ExtractorConfig.googleBooks();
        };
    }

    public static BookExtractor create(String name, ExtractorConfig config, Function<String, String> env) {
        return KINDS.get(check(name)).apply(config, env);
    }

    private static String check(String name) {
        if (!KINDS.containsKey(name)) {
            throw new IllegalArgumentException("no extractor named '" + name + "'; the extractors are " + names());
        }
        return name;
    }
}
