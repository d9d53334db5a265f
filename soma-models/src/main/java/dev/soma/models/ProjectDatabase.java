package dev.soma.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.soma.models.internal.database.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a project's database is, for commands that do not load the whole project ({@code generate},
 * {@code ingest}, {@code jobs}): the same rule {@link Soma#databaseFile()} follows, read from
 * {@code soma_project.yml} alone. Stateless, thread-safe.
 *
 * <pre>{@code
 * Path db = ProjectDatabase.resolve(Path.of("models"), null, null);   // models/../soma.duckdb for the bundled project
 * }</pre>
 */
public final class ProjectDatabase {

    private ProjectDatabase() {
    }

    /**
     * {@code override} if given; else the database of target {@code target} (else {@code default_target},
     * else {@code dev}) in {@code projectDir/soma_project.yml}, relative to {@code projectDir}; else
     * {@code soma.duckdb} in {@code projectDir}; with no project folder ({@code null}), {@code soma.duckdb}
     * in the working directory. {@code null} when the target is {@code :memory:}. A
     * {@code soma_project.yml} that cannot be read counts as one without targets: the command that
     * loads the project reports what is wrong with it.
     */
    public static Path resolve(Path projectDir, String target, Path override) {
        if (override != null || projectDir == null) {
            return Target.resolve(null, null, override);
        }
        String configured = null;
        Path file = projectDir.resolve("soma_project.yml");
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = new YAMLMapper().readTree(file.toFile());
                if (root != null) {
                    String name = target != null ? target : root.path("default_target").asText("dev");
                    JsonNode database = root.path("targets").path(name).path("database");
                    configured = database.isTextual() ? database.asText() : null;
                }
            } catch (IOException e) {
                configured = null;
            }
        }
        return Target.resolve(projectDir, configured, null);
    }

    /**
     * The {@code engine:} of target {@code target} (else {@code default_target}, else {@code dev}) in
     * {@code projectDir/soma_project.yml}, as written; {@code null} when it names none (the default engine),
     * there is no project folder, or the file cannot be read.
     */
    public static String engine(Path projectDir, String target) {
        if (projectDir == null) {
            return null;
        }
        Path file = projectDir.resolve("soma_project.yml");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = new YAMLMapper().readTree(file.toFile());
            if (root == null) {
                return null;
            }
            String name = target != null ? target : root.path("default_target").asText("dev");
            JsonNode engine = root.path("targets").path(name).path("engine");
            return engine.isTextual() ? engine.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
