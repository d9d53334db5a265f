package dev.soma.core.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link EngineProvider} opens a warehouse from: one target of {@code soma_project.yml}.
 *
 * @param target      the target's name, for messages
 * @param database    the resolved {@code database:} of the target (or the caller's override), absolute;
 *                    {@code null} for an in-memory database; engines without a database file ignore it
 * @param options     the engine's own keys of the target block (every key but {@code engine},
 *                    {@code database}, {@code threads}, {@code publish}), as YAML read them
 * @param projectRoot the project folder, for relative paths in {@code options}; {@code null} for a
 *                    project inside a jar
 * @param mustExist   for read-only commands: a missing database is an error and nothing is created
 */
public record EngineTarget(String target, Path database, Map<String, Object> options, Path projectRoot,
                           boolean mustExist) {

    public EngineTarget {
        Objects.requireNonNull(target, "target");
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
