package dev.soma.models.internal.project;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.TemplateException;
import dev.soma.models.internal.project.ProjectLoader.LoadedProject;
import dev.soma.models.internal.project.ProjectLoader.ParsedTemplate;
import dev.soma.models.internal.template.TemplateOwner;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.ModelEntry;
import dev.soma.models.internal.project.SchemaFile.SourceEntry;
import dev.soma.models.internal.project.SchemaFile.SourceTableEntry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns test declarations into test nodes: generic tests in YAML (on models, seeds, sources and
 * columns), singular tests ({@code tests/*.sql}), custom generic tests ({@code tests/generic/NAME.sql},
 * used in YAML by name), and a freshness check for every source table that declares one.
 *
 * <p>An unknown test, an unknown or missing argument, or an argument of the wrong type is a
 * {@link ProjectException} at the YAML line that declares the test.
 */
final class TestDeclarations {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    private static final String GENERIC_FOLDER = "tests/generic/";

    private final Project project;
    private final LoadedProject loaded;
    private final Map<String, String> customGeneric = new LinkedHashMap<>();
    private final Map<String, TestNode> tests = new LinkedHashMap<>();

    private TestDeclarations(Project project, LoadedProject loaded) {
        this.project = project;
        this.loaded = loaded;
        for (String path : loaded.genericTests()) {
            String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".sql".length());
            customGeneric.put(name, path);
        }
    }

    /** The project with its tests; called by {@link ProjectLoader} only, as the last step of loading. */
    static Project attach(LoadedProject loaded) {
        TestDeclarations loader = new TestDeclarations(loaded.project(), loaded);
        loader.singular();
        loader.declared();
        loader.freshness();
        return loaded.project().withTests(loader.tests);
    }

    private String projectName() {
        return project.name();
    }

    // --- singular tests ------------------------------------------------------------------------------

    private void singular() {
        for (String path : loaded.singularTests()) {
            String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".sql".length());
            ParsedTemplate parsed = ProjectLoader.parseTemplate(project, path, TemplateOwner.test(name), Map.of());
            List<String> folders = ProjectLoader.folders(path);
            NodeConfig config = project.settings().tests().resolve(folders).overriddenBy(parsed.config());
            validateConfig(config, SourceLocation.of(path), name);
            if (!config.isEnabled()) {
                continue;
            }
            Set<String> dependsOn = dependencies(parsed);
            if (tests.containsKey(name)) {
                throw new ProjectException(SourceLocation.of(path), "two tests are called " + name + "; rename one");
            }
            tests.put(name, new TestNode("test." + projectName() + "." + name, name, path, 1, TestKind.SINGULAR, name, null, null,
                    MAPPER.createObjectNode(), folders, config, dependsOn));
        }
    }

    // --- generic tests declared in YAML ----------------------------------------------------------------

    private void declared() {
        for (Map.Entry<String, SchemaFile> file : loaded.schemaFiles().entrySet()) {
            String path = file.getKey();
            SchemaFile schema = file.getValue();
            for (ModelEntry entry : schema.models()) {
                attach(path, project.models().get(entry.name()), entry.name(), entry.tests(), entry.columns());
            }
            for (ModelEntry entry : schema.seeds()) {
                attach(path, project.seeds().get(entry.name()), entry.name(), entry.tests(), entry.columns());
            }
            for (SourceEntry source : schema.sources()) {
                for (SourceTableEntry table : source.tables()) {
                    SourceNode node = project.sources().get(source.name() + "." + table.name());
                    attach(path, node, source.name() + "_" + table.name(), table.tests(), table.columns());
                }
            }
        }
    }

    private void attach(String path, Node node, String label, List<TestEntry> modelTests, List<ColumnEntry> columns) {
        if (node == null) {
            return; // a disabled model: its tests go with it
        }
        for (TestEntry test : modelTests) {
            add(path, node, label, null, test);
        }
        for (ColumnEntry column : columns) {
            for (TestEntry test : column.tests()) {
                add(path, node, label, column.name(), test);
            }
        }
    }

    private void add(String path, Node node, String label, String declaredColumn, TestEntry entry) {
        SourceLocation at = new SourceLocation(path, entry.line(), entry.column());
        ObjectNode arguments = entry.arguments().deepCopy();
        NodeConfig config = project.settings().tests().resolve(ProjectLoader.folders(path))
                .overriddenBy(config(arguments.remove("config"), at, entry.name()));
        String customName = text(arguments.remove("name"), at, "name");
        String column = declaredColumn;
        JsonNode columnArgument = arguments.remove("column_name");
        if (columnArgument != null) {
            column = text(columnArgument, at, "column_name");
        }

        BuiltinTest builtin = BuiltinTest.named(entry.name()).orElse(null);
        String testName;
        Set<String> dependsOn = new LinkedHashSet<>();
        dependsOn.add(node.uniqueId());
        if (builtin != null) {
            testName = builtin.testName();
            checkScope(builtin, column, at);
            checkArguments(builtin, arguments, at);
            if (builtin == BuiltinTest.RELATIONSHIPS) {
                dependsOn.add(TestTarget.resolve(project, arguments.get("to").asText(), at,
                        "test relationships on " + label + "." + column).uniqueId());
            }
        } else if (customGeneric.containsKey(entry.name())) {
            testName = entry.name();
            dependsOn.addAll(parseCustom(entry.name(), node, column, arguments, at));
        } else {
            List<String> known = new ArrayList<>(BuiltinTest.names());
            known.addAll(customGeneric.keySet());
            throw new ProjectException(at, "unknown test '" + entry.name() + "'" + Suggestions.didYouMean(entry.name(), known)
                    + "; built-in tests are " + String.join(", ", BuiltinTest.names())
                    + ", or write a custom one as " + GENERIC_FOLDER + entry.name() + ".sql");
        }
        validateConfig(config, at, testName);
        if (!config.isEnabled()) {
            return;
        }
        String name = uniqueName(customName != null ? customName
                : testName + "_" + label + (column == null ? "" : "_" + column), customName != null, at);
        tests.put(name, new TestNode("test." + projectName() + "." + name, name, path, entry.line(), builtin != null ? TestKind.GENERIC : TestKind.CUSTOM, testName,
                node.uniqueId(), column, arguments, ProjectLoader.folders(path), config, dependsOn));
    }

    private Set<String> parseCustom(String testName, Node node, String column, ObjectNode arguments, SourceLocation at) {
        String template = customGeneric.get(testName);
        Map<String, Object> variables = TestNode.customVariables(node.relation() == null ? "" : node.relation().quoted(),
                column, arguments);
        try {
            return dependencies(ProjectLoader.parseTemplate(project, template, TemplateOwner.test(testName), variables));
        } catch (TemplateException e) {
            throw new ProjectException(at, "test '" + testName + "' (" + template + "): " + e.detail()
                    + (arguments.isEmpty() ? "" : " (arguments given: " + String.join(", ", fieldNames(arguments)) + ")"), e);
        }
    }

    private Set<String> dependencies(ParsedTemplate parsed) {
        Set<String> ids = new LinkedHashSet<>();
        parsed.refs().forEach(ref -> ids.add(project.refTarget(ref).uniqueId()));
        parsed.sources().forEach(source -> ids.add(project.sources().get(source).uniqueId()));
        return ids;
    }

    private static void checkScope(BuiltinTest test, String column, SourceLocation at) {
        if (test.scope() == BuiltinTest.Scope.COLUMN && column == null) {
            throw new ProjectException(at, "test " + test.testName() + " checks a column: declare it under the column's tests:, "
                    + "or give column_name: <column>");
        }
        if (test.scope() == BuiltinTest.Scope.MODEL && column != null) {
            throw new ProjectException(at, "test " + test.testName() + " checks a whole model: declare it under the model's "
                    + "tests:, not under a column");
        }
    }

    private static void checkArguments(BuiltinTest test, ObjectNode arguments, SourceLocation at) {
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

    private static NodeConfig config(JsonNode config, SourceLocation at, String test) {
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

    private static void validateConfig(NodeConfig config, SourceLocation at, String test) {
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

    private static String text(JsonNode value, SourceLocation at, String key) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProjectException(at, key + " must be text, got " + value);
        }
        return value.asText();
    }

    private String uniqueName(String wanted, boolean explicit, SourceLocation at) {
        String base = wanted.replaceAll("[^A-Za-z0-9_]", "_");
        if (!tests.containsKey(base)) {
            return base;
        }
        if (explicit) {
            throw new ProjectException(at, "two tests are called " + base + "; give this one another name:");
        }
        for (int n = 2; ; n++) {
            if (!tests.containsKey(base + "_" + n)) {
                return base + "_" + n;
            }
        }
    }

    // --- source freshness -------------------------------------------------------------------------------

    private void freshness() {
        Map<String, SourceNode> sorted = new java.util.TreeMap<>(project.sources());
        for (SourceNode source : sorted.values()) {
            if (source.freshness() == null) {
                continue;
            }
            SourceLocation at = SourceLocation.of(source.path(), source.line());
            if (source.loadedAtField() == null) {
                throw new ProjectException(at, "source " + source.name() + " declares freshness but no loaded_at_field; "
                        + "add loaded_at_field: <timestamp column>");
            }
            var freshness = source.freshness();
            for (var period : new SchemaFile.Period[]{freshness.warnAfter(), freshness.errorAfter()}) {
                if (period != null && (period.count() == null || period.count() < 0 || period.period() == null
                        || !List.of("minute", "hour", "day").contains(period.period()))) {
                    throw new ProjectException(at, "source " + source.name() + ": freshness periods are {count: N, period: "
                            + "minute|hour|day}, got {count: " + period.count() + ", period: " + period.period() + "}");
                }
            }
            String name = uniqueName("source_freshness_" + source.sourceName() + "_" + source.tableName(), false, at);
            NodeConfig config = project.settings().tests().resolve(List.of());
            tests.put(name, new TestNode("test." + projectName() + "." + name, name, source.path(), source.line(), TestKind.FRESHNESS,
                    "freshness", source.uniqueId(), source.loadedAtField(), MAPPER.createObjectNode(), List.of(), config,
                    Set.of(source.uniqueId())));
        }
    }


    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
