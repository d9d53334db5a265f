package dev.soma.models.internal.project;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.text.Suggestions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folder defaults from {@code soma_project.yml}: a block's config keys apply to every model in that
 * folder and below; any other key must be a sub-folder holding a block of its own, as in
 *
 * <pre>
 * models:
 *   materialized: view          # project default
 *   marts:
 *     materialized: table       # marts/ and below
 *     finance: {schema: finance}
 * </pre>
 *
 * <p>A key may be written {@code +materialized} as in dbt. A scalar under an unknown key is a
 * misspelt config key, and the error suggests the closest one.
 *
 * @param config   this folder's own settings
 * @param children sub-folder blocks by folder name
 * @param line     the line of the block in its file, for messages about unused folders
 */
@JsonDeserialize(using = FolderConfig.Deserializer.class)
public record FolderConfig(NodeConfig config, Map<String, FolderConfig> children, int line) {

    public static final FolderConfig EMPTY = new FolderConfig(NodeConfig.EMPTY, Map.of(), 0);

    /** The settings for a file in {@code folders} (outermost first): every level's, most specific last. */
    public NodeConfig resolve(List<String> folders) {
        NodeConfig resolved = config;
        FolderConfig level = this;
        for (String folder : folders) {
            level = level.children.get(folder);
            if (level == null) {
                break;
            }
            resolved = resolved.overriddenBy(level.config);
        }
        return resolved;
    }

    /** Reads a folder block, config keys and sub-folders apart, keeping each key's location for errors. */
    static final class Deserializer extends JsonDeserializer<FolderConfig> {

        private static final ObjectMapper CONVERTER = new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        @Override
        public FolderConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonLocation start = p.currentTokenLocation();
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return EMPTY;
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw MismatchedInputException.from(p, FolderConfig.class,
                        "expected a block of config keys and folders, got " + describe(p.currentToken()));
            }
            ObjectNode config = CONVERTER.createObjectNode();
            Map<String, JsonLocation> keyLocations = new HashMap<>();
            Map<String, FolderConfig> children = new LinkedHashMap<>();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonLocation keyLocation = p.currentTokenLocation();
                String key = field.startsWith("+") ? field.substring(1).replace('-', '_') : field;
                JsonToken value = p.nextToken();
                if (NodeConfig.KEYS.contains(key) || key.equals("pre-hook") || key.equals("post-hook")) {
                    String normalized = key.replace('-', '_');
                    config.set(normalized, ctxt.readTree(p));
                    keyLocations.put(normalized, keyLocation);
                } else if (value == JsonToken.START_OBJECT && !field.startsWith("+")) {
                    children.put(field, deserialize(p, ctxt));
                } else {
                    throw new JsonMappingException(p, "unknown config key '" + field + "'"
                            + Suggestions.didYouMean(key, NodeConfig.KEYS)
                            + "; a folder block holds config keys (" + String.join(", ", NodeConfig.KEYS)
                            + ") and sub-folder blocks", keyLocation);
                }
            }
            return new FolderConfig(convert(p, config, keyLocations), Map.copyOf(children), start.getLineNr());
        }

        private static NodeConfig convert(JsonParser p, ObjectNode config, Map<String, JsonLocation> locations)
                throws JsonMappingException {
            if (config.isEmpty()) {
                return NodeConfig.EMPTY;
            }
            try {
                return CONVERTER.treeToValue(config, NodeConfig.class);
            } catch (UnrecognizedPropertyException e) {
                throw new JsonMappingException(p, "unknown config key '" + e.getPropertyName() + "'", locations.get(e.getPropertyName()));
            } catch (IOException e) {
                String key = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                        ? mapping.getPath().get(0).getFieldName() : null;
                JsonNode bad = key == null ? null : config.get(key);
                throw new JsonMappingException(p, "config key '" + key + "' has the wrong type"
                        + (bad == null ? "" : ": got " + bad) + expected(key), locations.get(key));
            }
        }

        private static String expected(String key) {
            if (key == null) {
                return "";
            }
            return switch (key) {
                case "tags", "unique_key", "partition_by", "pre_hook", "post_hook" -> " (expected a string or a list of strings)";
                case "enabled", "full_refresh", "store_failures" -> " (expected true or false)";
                case "limit" -> " (expected a whole number)";
                case "column_types", "meta" -> " (expected a mapping)";
                case "contract" -> " (expected a mapping such as {enforced: true})";
                default -> " (expected a string)";
            };
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case START_ARRAY -> "a list";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                default -> token.toString();
            };
        }
    }

    /** Every folder path this block configures, e.g. {@code [marts], [marts, finance]}, for checking they exist. */
    public List<FolderPath> folderPaths() {
        List<FolderPath> paths = new ArrayList<>();
        collect(List.of(), this, paths);
        return paths;
    }

    private static void collect(List<String> prefix, FolderConfig level, List<FolderPath> out) {
        for (Map.Entry<String, FolderConfig> child : level.children.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(child.getKey());
            out.add(new FolderPath(List.copyOf(path), child.getValue().line));
            collect(path, child.getValue(), out);
        }
    }

    /** A configured folder and the line of its block. */
    public record FolderPath(List<String> folders, int line) {
    }
}
