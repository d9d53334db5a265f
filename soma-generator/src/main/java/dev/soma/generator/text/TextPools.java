package dev.soma.generator.text;

import net.datafaker.Faker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Drawing costs 1.0-1.5 CPU seconds in a fresh JVM (Datafaker's classes, its YAML and cold code), a
 * tenth of a short generation. So the pools of the default seed are shipped, already drawn, as the
 * resource {@value #SHIPPED_PREFIX}{@code 42.tsv}; {@link #forSeed} reads them from there and draws
 * only for other seeds. {@code TextPoolsTest} checks that the resource is exactly what
 * {@link #draw} gives, so a Datafaker upgrade that changes the draw fails the build instead of
 * changing the data silently (benchmarks/README.md section 14).
 */
public final class TextPools {

    /** The pools, by the name the SQL uses for the list column. */
    private final Map<String, List<String>> pools;

    private TextPools(Map<String, List<String>> pools) {
        this.pools = pools;
    }

    /** The name of the shipped pools of a seed, relative to this class: {@code pools-seed-<seed>.tsv}. */
    static final String SHIPPED_PREFIX = "pools-seed-";

    /**
     * The pools of {@code seed}: the shipped ones when there are (the default seed), else
     * {@link #draw drawn}. Either way exactly what {@link #draw} gives.
     */
    public static TextPools forSeed(long seed) {
        try (InputStream in = TextPools.class.getResourceAsStream(SHIPPED_PREFIX + seed + ".tsv")) {
            return in == null ? draw(seed) : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped text pools of seed " + seed, e);
        }
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

    /** The pools as shipped: one line per value, {@code pool<TAB>value}, pools and values in order. */
    public String toTsv() {
        StringBuilder tsv = new StringBuilder();
        for (Map.Entry<String, List<String>> pool : pools.entrySet()) {
            for (String value : pool.getValue()) {
                if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalStateException("pool " + pool.getKey() + " has a value with a tab or line break: " + value);
                }
                tsv.append(pool.getKey()).append('\t').append(value).append('\n');
            }
        }
        return tsv.toString();
    }

    /** Reads what {@link #toTsv} wrote. */
    static TextPools parse(String tsv) {
        Map<String, List<String>> pools = new LinkedHashMap<>();
        for (String line : tsv.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            pools.computeIfAbsent(line.substring(0, tab), name -> new ArrayList<>()).add(line.substring(tab + 1));
        }
        pools.replaceAll((name, values) -> List.copyOf(values));
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
