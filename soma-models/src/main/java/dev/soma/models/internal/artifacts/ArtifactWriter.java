package dev.soma.models.internal.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.SomaVersion;
import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.RunResult;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.TestNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a project's artifacts under its target directory. Compiled files may be written from
 * several workers at once (each writes its own file); JSON artifacts are written atomically (to a
 * temporary file, then moved) so a reader never sees half a file.
 */
public final class ArtifactWriter {

    private final Path targetDir;
    private final ObjectMapper json = new ObjectMapper();

    public ArtifactWriter(Path targetDir) {
        this.targetDir = targetDir;
    }

    public Path targetDir() {
        return targetDir;
    }

    /** Where the compiled SQL of the file at {@code path} (project-relative) goes. */
    public Path compiledPath(String path) {
        return targetDir.resolve("compiled").resolve(path.endsWith(".sql") ? path : path + ".sql");
    }

    /** Writes compiled SQL and returns its path. */
    public Path writeCompiled(String path, String sql) {
        Path file = compiledPath(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** Writes {@code manifest.json}: every node, its config, columns and dependencies. */
    public Path writeManifest(Project project, ModelGraph graph) {
        ObjectNode root = json.createObjectNode();
        root.set("metadata", metadata(project.name()));
        ObjectNode nodes = root.putObject("nodes");
        ObjectNode sources = root.putObject("sources");
        ObjectNode parentMap = root.putObject("parent_map");
        ObjectNode childMap = root.putObject("child_map");
        for (String id : graph.order()) {
            Node node = graph.node(id);
            ObjectNode entry = (node instanceof SourceNode ? sources : nodes).putObject(id);
            describe(entry, node, graph);
            ArrayNode parents = parentMap.putArray(id);
            graph.parents(id).stream().sorted().forEach(parents::add);
            ArrayNode children = childMap.putArray(id);
            graph.children(id).stream().sorted().forEach(children::add);
        }
        return writeJson("manifest.json", root, false);
    }

    private void describe(ObjectNode entry, Node node, ModelGraph graph) {
        entry.put("unique_id", node.uniqueId());
        entry.put("name", node.name());
        entry.put("resource_type", node.resourceType().label());
        entry.put("original_file_path", node.path());
        ArrayNode fqn = entry.putArray("fqn");
        node.fqn().forEach(fqn::add);
        if (node.relation() != null) {
            entry.put("schema", node.relation().schema());
            entry.put("alias", node.relation().identifier());
            entry.put("relation_name", node.relation().quoted());
        }
        ArrayNode tags = entry.putArray("tags");
        node.tags().forEach(tags::add);
        entry.set("config", json.valueToTree(node.config()));
        if (node instanceof ModelNode model) {
            ((ObjectNode) entry.get("config")).put("materialized", model.materialized());
            entry.put("description", model.description());
            columns(entry, model.columns());
            entry.putObject("checksum").put("name", "sha256").put("checksum", model.checksum());
            entry.put("compiled_path", compiledPath(model.path()).toString());
        } else if (node instanceof SourceNode source) {
            entry.put("source_name", source.sourceName());
            entry.put("description", source.description());
            entry.put("loaded_at_field", source.loadedAtField());
            columns(entry, source.columns());
            if (source.freshness() != null) {
                entry.set("freshness", json.valueToTree(source.freshness()));
            }
        } else if (node instanceof TestNode test) {
            entry.put("test_type", test.testType());
            entry.put("test_name", test.testName());
            entry.put("attached_node", test.attachedTo());
            entry.put("column_name", test.column());
            entry.set("test_metadata", test.arguments());
        }
        ArrayNode dependsOn = entry.putObject("depends_on").putArray("nodes");
        graph.parents(node.uniqueId()).stream().sorted().forEach(dependsOn::add);
    }

    private void columns(ObjectNode entry, List<ColumnEntry> columns) {
        ObjectNode target = entry.putObject("columns");
        for (ColumnEntry column : columns) {
            ObjectNode node = target.putObject(column.name());
            node.put("name", column.name());
            node.put("description", column.description());
            node.put("data_type", column.dataType());
        }
    }

    /** Writes {@code run_results.json}: each node's status, timing, rows and message. */
    public Path writeRunResults(String projectName, RunResult run, Map<String, Object> args) {
        ObjectNode root = json.createObjectNode();
        root.set("metadata", metadata(projectName).put("invocation_id", run.runId()));
        root.put("elapsed_time", run.elapsed().toNanos() / 1e9);
        root.set("args", json.valueToTree(args));
        ArrayNode results = root.putArray("results");
        for (NodeResult result : run.results()) {
            ObjectNode entry = results.addObject();
            entry.put("unique_id", result.uniqueId());
            entry.put("status", result.status().label());
            entry.put("execution_time", result.duration().toNanos() / 1e9);
            ArrayNode timing = entry.putArray("timing");
            if (result.startedAt() != null) {
                timing.addObject().put("name", "execute")
                        .put("started_at", result.startedAt().toString())
                        .put("completed_at", result.startedAt().plus(result.duration()).toString());
            }
            entry.put("message", result.message());
            entry.putObject("adapter_response").put("rows_affected", result.rowsAffected());
            if (result.failures() >= 0) {
                entry.put("failures", result.failures());
            } else {
                entry.putNull("failures");
            }
            if (!result.samples().isEmpty()) {
                entry.set("sample_failing_rows", json.valueToTree(result.samples()));
            }
            entry.put("compiled_path", result.compiledPath() == null ? null : result.compiledPath().toString());
            entry.put("compiled_sql_checksum", result.checksum());
            entry.put("relation_name", result.node().relation() == null ? null : result.node().relation().quoted());
        }
        return writeJson("run_results.json", root, true);
    }

    private ObjectNode metadata(String projectName) {
        ObjectNode metadata = json.createObjectNode();
        metadata.put("soma_version", SomaVersion.get());
        metadata.put("generated_at", Instant.now().toString());
        metadata.put("project_name", projectName);
        return metadata;
    }

    /** Writes atomically; the manifest of a large project is written compact, as dbt does, to stay fast. */
    private Path writeJson(String name, ObjectNode root, boolean indent) {
        Path file = targetDir.resolve(name);
        try {
            Files.createDirectories(targetDir);
            Path temp = Files.createTempFile(targetDir, name, ".tmp");
            (indent ? json.writerWithDefaultPrettyPrinter() : json.writer()).writeValue(temp.toFile(), root);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static SomaException cannotWrite(Path file, IOException e) {
        return new SomaException(ErrorCode.INVALID_CONFIG, "cannot write " + file + ": " + e.getMessage()
                + "; check that the target folder is writable, or set target_path in soma_project.yml");
    }
}
