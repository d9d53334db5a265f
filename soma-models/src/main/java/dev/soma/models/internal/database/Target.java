package dev.soma.models.internal.database;

import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.error.ProjectException;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.ProjectFile.TargetConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * The target a {@code Soma} works against, chosen from {@code soma_project.yml}: its threads, its
 * database, and the DuckDB settings applied to every database it opens.
 *
 * @param name   the target's name ({@code dev} when the project declares none)
 * @param config its block in {@code soma_project.yml}, or {@code null} when the project has no such target
 */
public record Target(String name, TargetConfig config) {

    /** Threads when neither the caller nor the target says. */
    public static final int DEFAULT_THREADS = 4;
    /** The database when neither the caller nor the target says. */
    public static final Path DEFAULT_DATABASE = Path.of("soma.duckdb");

    /**
     * The target called {@code requested}, else the project's {@code default_target}, else {@code dev}.
     *
     * @throws ProjectException when a target was asked for (or declared the default) and does not exist
     */
    public static Target choose(Project project, String requested) {
        Map<String, TargetConfig> targets = project.settings().targets();
        String declaredDefault = project.settings().defaultTarget();
        String name = requested != null ? requested : declaredDefault != null ? declaredDefault : "dev";
        TargetConfig config = targets.get(name);
        if (config == null && (requested != null || declaredDefault != null)) {
            throw new ProjectException(null, "no target '" + name + "' in soma_project.yml"
                    + Suggestions.didYouMean(name, targets.keySet())
                    + (targets.isEmpty() ? "; add a targets: block" : "; targets: " + String.join(", ", targets.keySet())));
        }
        return new Target(name, config);
    }

    /** {@code requested} if given, else the target's threads, else {@value #DEFAULT_THREADS}. */
    public int threads(Integer requested) {
        if (requested != null) {
            return requested;
        }
        return config != null && config.threads() != null ? config.threads() : DEFAULT_THREADS;
    }

    /**
     * Opens {@code override} if given, else the target's database (in memory for {@code :memory:}),
     * else {@code soma.duckdb}, with the target's settings applied.
     */
    public Warehouse open(Path override) {
        Warehouse warehouse = openFile(override);
        try {
            applySettings(warehouse);
            return warehouse;
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    private Warehouse openFile(Path override) {
        if (override != null) {
            return Warehouse.open(override);
        }
        String configured = config == null ? null : config.database();
        if (configured == null) {
            return Warehouse.open(DEFAULT_DATABASE);
        }
        return configured.equals(":memory:") ? Warehouse.inMemory() : Warehouse.open(Path.of(configured));
    }

    /** Applies the target's {@code settings:} ({@code SET key = value}) to {@code warehouse}. */
    public void applySettings(Warehouse warehouse) {
        if (config == null) {
            return;
        }
        for (Map.Entry<String, Object> setting : config.settings().entrySet()) {
            Object value = setting.getValue();
            String literal = value instanceof Number || value instanceof Boolean
                    ? String.valueOf(value) : Identifiers.literal(String.valueOf(value));
            warehouse.execute(new SqlOwner("target setting", setting.getKey()),
                    "SET " + Identifiers.quote(setting.getKey()) + " = " + literal);
        }
    }
}
