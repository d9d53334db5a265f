package dev.soma.generator.text;

import net.datafaker.Faker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Lookup pools of distinct strings drawn from Datafaker with a seeded {@link Random} and an English
 * locale, so the same seed gives the same pools on any machine. Drawn once per generation (a few
 * thousand draws, well under a second); the SQL then picks from them by index.
 *
 * <p>Titles and names are composed from several pools in SQL, because Datafaker's own values repeat
 * (its book titles: under 200 distinct).
 */
public final class TextPools {

    /** The pools, by the name the SQL uses for the list column. */
    private final Map<String, List<String>> pools;

    private TextPools(Map<String, List<String>> pools) {
        this.pools = pools;
    }

    /** Draws every pool from {@code seed}. */
    public static TextPools draw(long seed) {
        Faker faker = new Faker(Locale.ENGLISH, new Random(seed));
        Map<String, List<String>> pools = new LinkedHashMap<>();
        pools.put("first_names", distinct(400, () -> faker.name().firstName()));
        pools.put("last_names", distinct(600, () -> faker.name().lastName()));
        pools.put("companies", distinct(500, () -> faker.company().name()));
        pools.put("countries", distinct(40, () -> faker.address().country()));
        pools.put("cities", distinct(300, () -> faker.address().cityName()));
        pools.put("adjectives", distinct(250, () -> capitalize(faker.word().adjective())));
        pools.put("nouns", distinct(400, () -> capitalize(faker.word().noun())));
        pools.put("book_titles", distinct(150, () -> faker.book().title()));
        return new TextPools(pools);
    }

    /** Every pool, by name, in a stable order. */
    public Map<String, List<String>> pools() {
        return pools;
    }

    /** One pool. */
    public List<String> pool(String name) {
        List<String> pool = pools.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("no text pool " + name);
        }
        return pool;
    }

    /** The number of entries in pool {@code name}. */
    public int size(String name) {
        return pool(name).size();
    }

    /**
     * Up to {@code wanted} distinct values, in first-drawn order; stops early when the source runs
     * dry (20 draws per wanted value), so a small provider gives a smaller pool rather than a loop.
     */
    private static List<String> distinct(int wanted, Supplier<String> source) {
        Set<String> values = new LinkedHashSet<>();
        int budget = wanted * 20;
        while (values.size() < wanted && budget-- > 0) {
            String value = source.get().strip();
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return List.copyOf(new ArrayList<>(values));
    }

    private static String capitalize(String word) {
        String trimmed = word.strip();
        return trimmed.isEmpty() ? trimmed : Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1);
    }
}
