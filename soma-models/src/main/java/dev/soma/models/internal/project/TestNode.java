package dev.soma.models.internal.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;

import java.util.List;
import java.util.Set;

/**
 * A data test: a generic test declared in YAML on a model, source or column, or a singular test file.
 *
 * @param line         the line of the declaration (YAML) or 1 (a singular test file)
 * @param kind         generic, singular, custom generic, or freshness
 * @param testName     {@code unique}, {@code accepted_values}, a custom generic test, or the singular file's name
 * @param attachedTo   unique id of the model, seed or source tested; {@code null} for singular tests
 * @param column       the column tested, or {@code null}
 * @param arguments    the test's arguments from YAML (without {@code config})
 * @param folders      folders of the declaring file, for folder config and fqn selection
 * @param dependsOn    unique ids of every node the test reads
 */
public record TestNode(String uniqueId, String name, String path, int line, TestKind kind, String testName,
                       String attachedTo, String column, ObjectNode arguments, List<String> folders, NodeConfig config,
                       Set<String> dependsOn) implements Node {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public ResourceType resourceType() {
        return ResourceType.TEST;
    }

    @Override
    public String description() {
        return null;
    }

    @Override
    public Relation relation() {
        return null;
    }

    /** Error unless configured {@code warn} (the loader has checked the word). */
    public Severity severity() {
        return config.severity() == null ? Severity.ERROR : Severity.ofLabel(config.severity()).orElseThrow();
    }

    @Override
    public List<String> fqn() {
        return Node.fqn(folders, name);
    }

    /** The variables a custom generic test template sees: {@code model}, {@code column_name}, and its arguments. */
    public static Map<String, Object> customVariables(String model, String column, ObjectNode arguments) {
        Map<String, Object> variables = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = arguments.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            variables.put(field.getKey(), MAPPER.convertValue(field.getValue(), Object.class));
        }
        variables.put("model", model);
        if (column != null) {
            variables.put("column_name", column);
        }
        return variables;
    }
}
