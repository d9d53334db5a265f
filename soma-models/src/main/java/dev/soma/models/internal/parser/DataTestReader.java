package dev.soma.models.internal.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.TemplateException;
import dev.soma.models.internal.parser.TemplateParser.Parsed;
import dev.soma.models.internal.project.BuiltinTest;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;
import dev.soma.models.internal.project.SchemaFile.ModelEntry;
import dev.soma.models.internal.project.SchemaFile.SourceEntry;
import dev.soma.models.internal.project.SchemaFile.SourceTableEntry;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.TestEntry;
import dev.soma.models.internal.project.TestKind;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.TestTarget;
import dev.soma.models.internal.template.TemplateOwner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.soma.models.internal.parser.TestArguments.checkArguments;
import static dev.soma.models.internal.parser.TestArguments.checkScope;
import static dev.soma.models.internal.parser.TestArguments.config;
import static dev.soma.models.internal.parser.TestArguments.fieldNames;
import static dev.soma.models.internal.parser.TestArguments.text;
import static dev.soma.models.internal.parser.TestArguments.validateConfig;

/**
 * Reads data tests: generic tests declared in YAML (on models, seeds, sources and columns; built in
 * or custom), singular tests ({@code tests/*.sql}), custom generic tests ({@code tests/generic/NAME.sql},
 * used in YAML by name), and a freshness check for every source table that declares one. Runs last,
 * on a project whose models, seeds and sources are read, since a test depends on what it reads.
 *
 * <p>An unknown test, an unknown or missing argument, or an argument of the wrong type is a
 * {@link ProjectException} at the YAML line that declares the test ({@link TestArguments}).
 */
final class DataTestReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GENERIC_FOLDER = "tests/generic/";

    private final Project project;
    /** The folder holding the models, or {@code null}: tests declared beside them count folders from it. */
    private final String modelPath;
    private final Map<String, String> customGeneric = new LinkedHashMap<>();
    private final Map<String, TestNode> tests = new LinkedHashMap<>();

    private DataTestReader(Project project, List<String> genericTests) {
        this.project = project;
        this.modelPath = ProjectFiles.modelPath(project.models().values().stream().map(ModelNode::path).toList());
        for (String path : genericTests) {
            customGeneric.put(ProjectFiles.name(path), path);
        }
    }

    /**
     * The tests of {@code project}, by name.
     *
     * @param files     the project's files (its singular and custom generic tests)
     * @param yamlFiles the YAML files that declare tests, in path order
     */
    static Map<String, TestNode> read(Project project, ProjectFiles files, List<YamlFile> yamlFiles) {
        DataTestReader reader = new DataTestReader(project, files.genericTests());
        reader.singular(files.singularTests());
        reader.declared(yamlFiles);
        reader.freshness();
        return reader.tests;
    }

    // --- singular tests ------------------------------------------------------------------------------

    private void singular(List<String> paths) {
        for (String path : paths) {
            String name = ProjectFiles.name(path);
            Parsed parsed = TemplateParser.parse(project, path, TemplateOwner.test(name), Map.of());
            List<String> folders = ProjectFiles.folders(path);
            NodeConfig config = project.settings().tests().resolve(folders).overriddenBy(parsed.config());
            validateConfig(config, SourceLocation.of(path), name);
            if (!config.isEnabled()) {
                continue;
            }
            Set<String> dependsOn = dependencies(parsed);
            if (tests.containsKey(name)) {
                throw new ProjectException(SourceLocation.of(path), "two tests are called " + name + "; rename one");
            }
            tests.put(name, new TestNode("test." + project.name() + "." + name, name, path, 1, TestKind.SINGULAR, name, null, null,
                    MAPPER.createObjectNode(), folders, config, dependsOn));
        }
    }

    // --- generic tests declared in YAML ----------------------------------------------------------------

    private void declared(List<YamlFile> yamlFiles) {
        for (YamlFile file : yamlFiles) {
            String path = file.path();
            SchemaFile schema = file.schema();
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
        ObjectNode arguments = TestArguments.normalized(entry.arguments(), at, entry.name());
        NodeConfig config = ProjectFiles.folderConfig(project.settings().tests(), path, modelPath)
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
        tests.put(name, new TestNode("test." + project.name() + "." + name, name, path, entry.line(), builtin != null ? TestKind.GENERIC : TestKind.CUSTOM, testName,
                node.uniqueId(), column, arguments, ProjectFiles.fqnFolders(path, modelPath), config, dependsOn));
    }

    private Set<String> parseCustom(String testName, Node node, String column, ObjectNode arguments, SourceLocation at) {
        String template = customGeneric.get(testName);
        Map<String, Object> variables = TestNode.customVariables(node.relation() == null ? "" : node.relation().quoted(),
                column, arguments);
        try {
            return dependencies(TemplateParser.parse(project, template, TemplateOwner.test(testName), variables));
        } catch (TemplateException e) {
            throw new ProjectException(at, "test '" + testName + "' (" + template + "): " + e.detail()
                    + (arguments.isEmpty() ? "" : " (arguments given: " + String.join(", ", fieldNames(arguments)) + ")"), e);
        }
    }

    private Set<String> dependencies(Parsed parsed) {
        Set<String> ids = new LinkedHashSet<>();
        parsed.refs().forEach(ref -> ids.add(project.refTarget(ref).uniqueId()));
        parsed.sources().forEach(source -> ids.add(project.sources().get(source).uniqueId()));
        return ids;
    }

    private String uniqueName(String wanted, boolean explicit, SourceLocation at) {
        String base = identifier(wanted);
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

    /** {@code text} with every character but ASCII letters, digits and {@code _} made {@code _} (a regex per test cost a compile). */
    private static String identifier(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '_';
            }
        }
        return chars == null ? text : new String(chars);
    }

    // --- source freshness -------------------------------------------------------------------------------

    private void freshness() {
        Map<String, SourceNode> sorted = new TreeMap<>(project.sources());
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
            tests.put(name, new TestNode("test." + project.name() + "." + name, name, source.path(), source.line(), TestKind.FRESHNESS,
                    "freshness", source.uniqueId(), source.loadedAtField(), MAPPER.createObjectNode(), List.of(), config,
                    Set.of(source.uniqueId())));
        }
    }
}
