package dev.soma.benchmarks.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a generated project of {@code n} models: a fifth are staging views over one source, the rest
 * are marts that each ref one to three earlier models, with a YAML file per folder of 100 models
 * documenting every model and its columns, and a macro every model calls. Seeded: the same n gives
 * the same project. {@link #write(Path, int, boolean)} with tests adds one {@code not_null} test per
 * model (10,000 models, 10,000 tests: the cold-CLI project of issue 18).
 */
public final class SyntheticProject {

    private SyntheticProject() {
    }

    public static Path write(Path root, int n) {
        return write(root, n, false);
    }

    /** As {@link #write(Path, int)}, with a {@code not_null} test on every model's {@code id} when {@code withTests}. */
    public static Path write(Path root, int n, boolean withTests) {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("soma_project.yml"), """
                    name: synthetic
                    vars: {floor: 0}
                    models:
                      staging: {materialized: view, schema: staging}
                      marts: {materialized: view, schema: analytics, tags: [marts]}
                    """);
            Files.writeString(root.resolve("sources.yml"), """
                    sources:
                      - name: raw
                        tables: [{name: events}]
                    """);
            Files.createDirectories(root.resolve("macros"));
            Files.writeString(root.resolve("macros/filters.ftl"),
                    "<#function positive column>\n  <#return column + \" >= \" + var(\"floor\")>\n</#function>\n");
            Random random = new Random(n);
            int staging = Math.max(1, n / 5);
            StringBuilder yaml = new StringBuilder("models:\n");
            for (int i = 0; i < n; i++) {
                boolean isStaging = i < staging;
                String folder = (isStaging ? "staging/" : "marts/") + "group_" + (i / 100);
                String name = "m" + i;
                String sql;
                if (isStaging) {
                    sql = "select id, value from ${source('raw', 'events')} where ${positive('value')}";
                } else {
                    int refs = 1 + random.nextInt(3);
                    StringBuilder from = new StringBuilder("select a.id, a.value");
                    from.append(" from ${ref('m").append(random.nextInt(i)).append("')} a");
                    for (int r = 1; r < refs; r++) {
                        from.append("\njoin ${ref('m").append(random.nextInt(i)).append("')} b").append(r).append(" using (id)");
                    }
                    from.append("\nwhere ${positive('a.value')}");
                    sql = from.toString();
                }
                Path file = root.resolve(folder).resolve(name + ".sql");
                Files.createDirectories(file.getParent());
                Files.writeString(file, sql + "\n");
                yaml.append("  - name: ").append(name).append("\n    description: Model ").append(i)
                        .append(".\n    columns:\n      - name: id\n        description: The key.\n");
                if (withTests) {
                    yaml.append("        tests: [not_null]\n");
                }
                if ((i + 1) % 100 == 0 || i == n - 1) {
                    Files.writeString(root.resolve(folder).resolve("_models.yml"), yaml.toString());
                    yaml = new StringBuilder("models:\n");
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
