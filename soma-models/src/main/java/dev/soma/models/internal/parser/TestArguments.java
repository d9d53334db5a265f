package dev.soma.models.internal.parser;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.project.BuiltinTest;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.Severity;
import dev.soma.models.internal.project.Thresholds;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a data test declared in YAML may take, checked where the user wrote it: a built-in test's
 * arguments (names, required ones, types), where it may be declared (model or column), and a test's
 * {@code config:} block. Every mistake is a {@link ProjectException} at the declaring YAML line.
 */
final class TestArguments {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    private TestArguments() {
    }

    /**
     * Config keys dbt accepts beside a test's arguments (its older form, {@code - not_null: {where: "…"}}):
     * read as if written under {@code config:}.
     */
    private static final List<String> TOP_LEVEL_CONFIG = List.of("severity", "where", "limit", "warn_if", "error_if",
            "store_failures", "tags", "enabled", "meta");

    /**
     * A test's arguments in one shape, whichever of dbt's forms declared them: dbt 1.10+'s
     * {@code {arguments: {values: [a]}, config: {…}}}, or the older {@code {values: [a], where: "…"}}, where
     * config keys may stand beside the arguments. Arguments end up at the top, config keys under
     * {@code config}. A copy; {@code declared} is not changed.
     *
     * @throws ProjectException when one key is given twice (in both places), or {@code arguments} is no mapping
     */
    static ObjectNode normalized(ObjectNode declared, SourceLocation at, String test) {
        ObjectNode arguments = declared.deepCopy();
        JsonNode nested = arguments.remove("arguments");
        if (nested != null && !nested.isNull()) {
            if (!nested.isObject()) {
                throw new ProjectException(at, "test " + test + ": arguments must be a mapping such as {values: [a, b]}, got "
                        + nested);
            }
            for (String key : fieldNames((ObjectNode) nested)) {
                if (arguments.has(key)) {
                    throw new ProjectException(at, "test " + test + ": '" + key + "' is given both under arguments: and beside "
                            + "it; keep the one under arguments:");
                }
                arguments.set(key, nested.get(key));
            }
        }
        for (String key : TOP_LEVEL_CONFIG) {
            JsonNode value = arguments.remove(key);
            if (value == null) {
                continue;
            }
            JsonNode config = arguments.get("config");
            if (config == null || config.isNull()) {
                config = arguments.putObject("config");
            }
            if (!config.isObject()) {
                continue; // config() reports it
            }
            if (config.has(key)) {
                throw new ProjectException(at, "test " + test + ": '" + key + "' is given both in config: and beside it; "
                        + "keep the one in config:");
            }
            ((ObjectNode) config).set(key, value);
        }
        return arguments;
    }

    static void checkScope(BuiltinTest test, String column, SourceLocation at) {
        if (test.scope() == BuiltinTest.Scope.COLUMN && column == null) {
            throw new ProjectException(at, "test " + test.testName() + " checks a column: declare it under the column's tests:, "
                    + "or give column_name: <column>");
        }
        if (test.scope() == BuiltinTest.Scope.MODEL && column != null) {
            throw new ProjectException(at, "test " + test.testName() + " checks a whole model: declare it under the model's "
                    + "tests:, not under a column");
        }
    }

    static void checkArguments(BuiltinTest test, ObjectNode arguments, SourceLocation at) {
        List<String> accepted = test.arguments();
        for (String key : fieldNames(arguments)) {
            if (!accepted.contains(key)) {
                throw new ProjectException(at, "test " + test.testName() + " has no argument '" + key + "'"
                        + Suggestions.didYouMean(key, accepted) + "; it takes " + describe(test));
            }
        }
        for (String key : test.required()) {
            if (!arguments.hasNonNull(key)) {
                throw new ProjectException(at, "test " + test.testName() + " needs argument '" + key + "'; it takes " + describe(test));
            }
        }
        switch (test) {
            case ACCEPTED_VALUES -> {
                JsonNode values = arguments.get("values");
                if (!values.isArray() || values.isEmpty()) {
                    throw new ProjectException(at, "test accepted_values needs 'values' as a non-empty list, e.g. values: [a, b]");
                }
                values.forEach(v -> {
                    if (!v.isValueNode() || v.isNull()) {
                        throw new ProjectException(at, "test accepted_values: every value must be a plain string, number "
                                + "or boolean, got " + v);
                    }
                });
                requireBoolean(arguments, "quote", test, at);
            }
            case RELATIONSHIPS -> {
                requireText(arguments, "to", test, at);
                requireText(arguments, "field", test, at);
            }
            case ACCEPTED_RANGE, ROW_COUNT -> {
                if (!arguments.has("min_value") && !arguments.has("max_value")) {
                    throw new ProjectException(at, "test " + test.testName() + " needs min_value, max_value or both");
                }
                for (String bound : List.of("min_value", "max_value")) {
                    JsonNode value = arguments.get(bound);
                    boolean ok = value == null || value.isNumber() || (test == BuiltinTest.ACCEPTED_RANGE && value.isTextual());
                    if (!ok) {
                        throw new ProjectException(at, "test " + test.testName() + ": " + bound + " must be a number"
                                + (test == BuiltinTest.ACCEPTED_RANGE ? " (or a quoted date or SQL expression)" : "")
                                + ", got " + value);
                    }
                }
                requireBoolean(arguments, "inclusive", test, at);
            }
            case EXPRESSION_IS_TRUE -> requireText(arguments, "expression", test, at);
            case UNIQUE_COMBINATION_OF_COLUMNS -> {
                JsonNode columns = arguments.get("combination_of_columns");
                if (!columns.isArray() || columns.size() < 2) {
                    throw new ProjectException(at, "test unique_combination_of_columns needs combination_of_columns as a list "
                            + "of two or more columns, e.g. [book_id, sale_date]");
                }
            }
            default -> {
            }
        }
    }

    private static String describe(BuiltinTest test) {
        List<String> parts = new ArrayList<>();
        test.required().forEach(a -> parts.add(a + " (required)"));
        parts.addAll(test.optional());
        parts.addAll(BuiltinTest.COMMON_ARGUMENTS);
        return String.join(", ", parts);
    }

    private static void requireText(ObjectNode arguments, String key, BuiltinTest test, SourceLocation at) {
        JsonNode value = arguments.get(key);
        if (value != null && !value.isTextual()) {
            throw new ProjectException(at, "test " + test.testName() + ": " + key + " must be text, got " + value);
        }
    }

    private static void requireBoolean(ObjectNode arguments, String key, BuiltinTest test, SourceLocation at) {
        JsonNode value = arguments.get(key);
        if (value != null && !value.isBoolean()) {
            throw new ProjectException(at, "test " + test.testName() + ": " + key + " must be true or false, got " + value);
        }
    }

    static NodeConfig config(JsonNode config, SourceLocation at, String test) {
        if (config == null || config.isNull()) {
            return NodeConfig.EMPTY;
        }
        if (!config.isObject()) {
            throw new ProjectException(at, "test " + test + ": config must be a mapping such as {severity: warn}");
        }
        for (String key : fieldNames((ObjectNode) config)) {
            if (!NodeConfig.KEYS.contains(key)) {
                throw new ProjectException(at, "test " + test + ": unknown config key '" + key + "'"
                        + Suggestions.didYouMean(key, NodeConfig.KEYS) + "; tests take severity, where, limit, store_failures, "
                        + "tags, warn_if, error_if, enabled");
            }
        }
        try {
            return MAPPER.treeToValue(config, NodeConfig.class);
        } catch (Exception e) {
            throw new ProjectException(at, "test " + test + ": bad config " + config + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static void validateConfig(NodeConfig config, SourceLocation at, String test) {
        if (config.severity() != null && Severity.ofLabel(config.severity()).isEmpty()) {
            throw new ProjectException(at, "test " + test + ": severity is warn or error, got '" + config.severity() + "'");
        }
        if (config.limit() != null && config.limit() < 0) {
            throw new ProjectException(at, "test " + test + ": limit must be 0 or more, got " + config.limit());
        }
        for (String threshold : new String[]{config.warnIf(), config.errorIf()}) {
            if (threshold != null && Thresholds.parse(threshold) == null) {
                throw new ProjectException(at, "test " + test + ": '" + threshold
                        + "' is not a threshold; write a comparison such as '>10' or '!=0'");
            }
        }
    }

    static String text(JsonNode value, SourceLocation at, String key) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProjectException(at, key + " must be text, got " + value);
        }
        return value.asText();
    }

    static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
