package dev.soma.models.internal.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.models.error.StateException;
import dev.soma.models.internal.artifacts.ArtifactWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An earlier run's {@code manifest.json}, read from the folder given with {@code --state} (production's
 * {@code target/}, kept by CI). Immutable once read.
 */
public final class StateManifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final JsonNode tree;

    private StateManifest(Path directory, JsonNode tree) {
        this.directory = directory;
        this.tree = tree;
    }

    /**
     * Reads {@code directory/manifest.json}.
     *
     * @throws StateException when the folder or the file is missing, or the file is not a manifest
     */
    public static StateManifest read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new StateException(directory, "--state names no folder; give the target/ folder of an earlier run "
                    + "(e.g. production's artifacts), which holds its manifest.json");
        }
        Path file = directory.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new StateException(file, "--state has no manifest.json; copy the earlier run's target/manifest.json "
                    + "there (soma compile or soma build writes it)");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new StateException(file, "--state's manifest.json is not JSON (" + e.getOriginalMessage()
                    + "); write it again with soma compile");
        } catch (IOException e) {
            throw new StateException(file, "--state's manifest.json cannot be read (" + e.getMessage() + ")");
        }
        if (tree == null || !tree.path("nodes").isObject()) {
            throw new StateException(file, "--state's manifest.json has no nodes; it is not a manifest written by soma or dbt");
        }
        return new StateManifest(directory.toAbsolutePath().normalize(), tree);
    }

    /** The folder it was read from. */
    public Path directory() {
        return directory;
    }

    /** The whole manifest. */
    public JsonNode tree() {
        return tree;
    }

    /** The entry of the node, source or unit test {@code uniqueId}, or {@code null} when the earlier run had none. */
    public JsonNode node(String uniqueId) {
        return entry(tree, uniqueId);
    }

    /** {@code uniqueId}'s entry in {@code manifest}: dbt keeps sources and unit tests in maps of their own. */
    static JsonNode entry(JsonNode manifest, String uniqueId) {
        for (String map : new String[] {"nodes", "sources", "unit_tests"}) {
            JsonNode node = manifest.path(map).get(uniqueId);
            if (node != null) {
                return node;
            }
        }
        return null;
    }

    /**
     * The database file the earlier run's relations live in ({@code metadata.env.SOMA_DATABASE_PATH}), or
     * {@code null} when the manifest does not say (dbt's, or an in-memory run's).
     */
    public Path databaseFile() {
        String path = tree.path("metadata").path("env").path(ArtifactWriter.DATABASE_PATH_ENV).asText("");
        return path.isEmpty() ? null : Path.of(path);
    }
}
