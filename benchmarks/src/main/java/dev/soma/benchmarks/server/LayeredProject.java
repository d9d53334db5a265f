package dev.soma.benchmarks.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a seeded project of {@code n} models shaped like a real warehouse: raw sources, staging views
 * over them, intermediate models, marts, and ML features / experiments on the marts, each model reading
 * one to three models of earlier layers. Every model is documented with a column and tests, so the
 * lineage page has something to show.
 */
public final class LayeredProject {

    private static final String[] LAYERS = {"staging", "intermediate", "marts", "ml_features", "experiments"};
    private static final double[] SHARE = {0.30, 0.25, 0.25, 0.12, 0.08};
    private static final String[] NOUNS = {"books", "sales", "authors", "publishers", "inventory", "campaigns",
            "customers", "orders", "reviews", "returns", "prices", "regions", "channels", "genres", "events"};

    private LayeredProject() {
    }

    /** Writes the project; returns the number of raw source tables it reads (raw.t0 …). */
    public static int write(Path root, int n) {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("soma_project.yml"), """
                    name: layered_showcase
                    version: 1.0.0
                    models:
                      staging: {materialized: view, schema: staging}
                      intermediate: {materialized: view, schema: intermediate}
                      marts: {materialized: view, schema: analytics}
                      ml_features: {materialized: view, schema: ml_features}
                      experiments: {materialized: view, schema: experiments}
                    """);
            int sources = Math.max(3, n / 25);
            StringBuilder yml = new StringBuilder("sources:\n  - name: raw\n    schema: raw\n    tables:\n");
            for (int s = 0; s < sources; s++) {
                yml.append("      - name: ").append(NOUNS[s % NOUNS.length]).append(s < NOUNS.length ? "" : "_" + s)
                        .append("\n        description: Raw ").append(NOUNS[s % NOUNS.length]).append(" as loaded.\n");
            }
            Files.writeString(root.resolve("sources.yml"), yml.toString());
            Random random = new Random(n);
            List<List<String>> built = new ArrayList<>();
            int made = 0;
            for (int layer = 0; layer < LAYERS.length; layer++) {
                int count = layer == LAYERS.length - 1 ? n - made : (int) Math.round(n * SHARE[layer]);
                List<String> names = new ArrayList<>();
                StringBuilder docs = new StringBuilder("models:\n");
                for (int i = 0; i < count; i++) {
                    String noun = NOUNS[random.nextInt(NOUNS.length)];
                    String prefix = switch (layer) {
                        case 0 -> "stg_";
                        case 1 -> "int_";
                        case 2 -> random.nextBoolean() ? "fct_" : "dim_";
                        case 3 -> "feat_";
                        default -> "exp_";
                    };
                    String name = prefix + noun + "_" + (made + i);
                    String sql;
                    if (layer == 0) {
                        int s = random.nextInt(sources);
                        String table = NOUNS[s % NOUNS.length] + (s < NOUNS.length ? "" : "_" + s);
                        sql = "select id, value, label from ${source('raw', '" + table + "')}";
                    } else {
                        int refs = 1 + random.nextInt(3);
                        StringBuilder from = new StringBuilder("select a.id, a.value, a.label from ");
                        for (int r = 0; r < refs; r++) {
                            // Mostly the layer just before, sometimes one further back.
                            int back = random.nextInt(4) == 0 && layer > 1 ? 2 : 1;
                            List<String> pool = built.get(layer - back);
                            String parent = pool.get(random.nextInt(pool.size()));
                            from.append(r == 0 ? "" : " join ").append("${ref('").append(parent).append("')} ")
                                    .append(r == 0 ? "a" : "b" + r + " using (id)");
                        }
                        sql = from.toString();
                    }
                    Path file = root.resolve(LAYERS[layer]).resolve("group_" + ((made + i) / 200)).resolve(name + ".sql");
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, sql + "\n");
                    names.add(name);
                    docs.append("  - name: ").append(name).append("\n    description: ")
                            .append(Character.toUpperCase(noun.charAt(0))).append(noun.substring(1))
                            .append(" at the ").append(LAYERS[layer].replace('_', ' ')).append(" layer, model ")
                            .append(made + i).append(".\n    columns:\n      - name: id\n        description: The key.\n")
                            .append("        tests: [not_null]\n      - name: value\n        description: A measure.\n")
                            .append("      - name: label\n        description: A readable label.\n");
                }
                Files.writeString(root.resolve(LAYERS[layer]).resolve("_" + LAYERS[layer] + ".yml"), docs.toString());
                built.add(names);
                made += count;
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw table names the project reads. */
    public static List<String> sourceTables(int sources) {
        List<String> tables = new ArrayList<>();
        for (int s = 0; s < sources; s++) {
            tables.add(NOUNS[s % NOUNS.length] + (s < NOUNS.length ? "" : "_" + s));
        }
        return tables;
    }
}
