package dev.soma.models.internal.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.text.Suggestions;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile.UnitTestEntry;
import dev.soma.models.internal.project.SchemaFile.UnitTestFixture;
import dev.soma.models.internal.project.SeedNode;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.UnitTestNode;
import dev.soma.models.internal.project.UnitTestNode.Format;
import dev.soma.models.internal.project.UnitTestNode.Input;
import dev.soma.models.internal.project.UnitTestNode.Rows;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads unit tests: the {@code unit_tests:} section of any YAML file, in dbt's shape (name, model,
 * given, expect, overrides, config). Runs once models, seeds and sources are read, since a test names
 * its model and stands in for that model's inputs. Checks what dbt checks, at the declaring line: the
 * model exists, each input is one the model reads, rows match their format, a fixture file exists, an
 * incremental model's test says whether {@code is_incremental()} holds, and gives {@code this} when it does.
 */
final class UnitTestReader implements YamlFile.SectionReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String FIXTURES = "tests/fixtures/";
    private static final Pattern REF = Pattern.compile("^\\s*ref\\(\\s*[\"']([^\"']+)[\"']\\s*\\)\\s*$");
    private static final Pattern SOURCE =
            Pattern.compile("^\\s*source\\(\\s*[\"']([^\"']+)[\"']\\s*,\\s*[\"']([^\"']+)[\"']\\s*\\)\\s*$");
    private static final Pattern IS_INCREMENTAL = Pattern.compile("\\bis_incremental\\s*\\(");

    private record Declared(YamlFile file, UnitTestEntry entry) {
    }

    private final List<Declared> declared = new ArrayList<>();

    @Override
    public void readYaml(YamlFile file) {
        for (UnitTestEntry entry : file.schema().unitTests()) {
            file.requireName(entry.name(), "unit_tests");
            declared.add(new Declared(file, entry));
        }
    }

    /**
     * The enabled unit tests of enabled models, by unique id.
     *
     * @param texts     model template texts by path, to see whether a model calls {@code is_incremental()}
     * @param allModels every model's name, disabled ones too: a disabled model's unit tests go with it
     */
    Map<String, UnitTestNode> read(Project project, Map<String, String> texts, java.util.Set<String> allModels) {
        Map<String, UnitTestNode> tests = new TreeMap<>();
        for (Declared d : declared) {
            if (d.entry().model() != null && !project.models().containsKey(d.entry().model())
                    && allModels.contains(d.entry().model())) {
                continue;
            }
            UnitTestNode test = read(project, texts, d.file(), d.entry());
            if (test == null) {
                continue;
            }
            UnitTestNode previous = tests.putIfAbsent(test.uniqueId(), test);
            if (previous != null) {
                throw new ProjectException(SourceLocation.of(test.path(), test.line()), "model " + test.model()
                        + " has two unit tests called " + test.name() + " (also in " + previous.path() + "); rename one");
            }
        }
        return tests;
    }

    private UnitTestNode read(Project project, Map<String, String> texts, YamlFile file, UnitTestEntry entry) {
        String name = entry.name();
        SourceLocation at = file.at(name);
        String label = "unit test " + name;
        if (Boolean.FALSE.equals(entry.config().enabled())) {
            return null;
        }
        if (entry.model() == null || entry.model().isBlank()) {
            throw new ProjectException(at, label + " names no model; add 'model: <model name>'");
        }
        ModelNode model = project.models().get(entry.model());
        if (model == null) {
            String suggestion = Suggestions.closest(entry.model(), project.models().keySet()).orElse(null);
            throw new UnknownNodeException(at, label + " tests model '" + entry.model() + "', which does not exist"
                    + Suggestions.didYouMean(entry.model(), project.models().keySet()), entry.model(), suggestion);
        }
        label = label + " of model " + model.name();
        if (entry.given().isEmpty() && entry.expect() == null) {
            throw new ProjectException(at, label + " has neither given: nor expect:; add the rows the model reads and "
                    + "the rows it should return");
        }
        if (entry.expect() == null) {
            throw new ProjectException(at, label + " has no expect:; add the rows the model should return, e.g. "
                    + "expect: {rows: [{id: 1}]}");
        }

        List<Input> given = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (UnitTestFixture fixture : entry.given()) {
            Input input = input(project, model, fixture, at, label);
            if (seen.contains(input.nodeId() + (input.self() ? "#this" : ""))) {
                throw new ProjectException(at, label + " gives " + fixture.input() + " twice; keep one");
            }
            seen.add(input.nodeId() + (input.self() ? "#this" : ""));
            given.add(input);
        }
        if (entry.expect().input() != null) {
            throw new ProjectException(at, label + ": expect: takes rows, format and fixture, not input:");
        }
        Rows expect = rows(project, entry.expect(), null, at, label + ", expect");

        Boolean incremental = incrementalOverride(entry, at, label);
        String text = texts.get(model.path());
        boolean callsIsIncremental = model.materialized() == Materialization.INCREMENTAL
                && (text == null || IS_INCREMENTAL.matcher(text).find());
        if (callsIsIncremental && incremental == null) {
            throw new ProjectException(at, label + ": the model is incremental, so say which run the test is: add "
                    + "overrides: {macros: {is_incremental: true}} (with a 'this' input: the rows already in the table) "
                    + "or is_incremental: false (a full build)");
        }
        if (Boolean.TRUE.equals(incremental) && given.stream().noneMatch(Input::self)) {
            throw new ProjectException(at, label + ": is_incremental is true, so give the rows already in the table: "
                    + "add a given input 'this' (input: this, rows: [...])");
        }

        NodeConfig config = new NodeConfig(null, null, null, entry.config().tags(), null, null, null, null, null, null, null, null,
                entry.config().meta().isEmpty() ? null : entry.config().meta(), null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
        return new UnitTestNode("unit_test." + project.name() + "." + model.name() + "." + name, name, model.name(),
                model.uniqueId(), file.path(), Math.max(at.line(), 0), entry.description(), given, expect, incremental,
                entry.overrides().vars(), config, ProjectFiles.folders(file.path()));
    }

    private static Boolean incrementalOverride(UnitTestEntry entry, SourceLocation at, String label) {
        for (String macro : entry.overrides().macros().keySet()) {
            if (!macro.equals("is_incremental")) {
                throw new ProjectException(at, label + ": overrides.macros can set is_incremental only, got '" + macro
                        + "' (Soma's macros are FreeMarker; override a value through vars: instead)");
            }
        }
        Object value = entry.overrides().macros().get("is_incremental");
        if (value == null) {
            return null;
        }
        if (!(value instanceof Boolean flag)) {
            throw new ProjectException(at, label + ": overrides.macros.is_incremental must be true or false, got " + value);
        }
        return flag;
    }

    private Input input(Project project, ModelNode model, UnitTestFixture fixture, SourceLocation at, String label) {
        String written = fixture.input();
        if (written == null || written.isBlank()) {
            throw new ProjectException(at, label + ": each given entry needs input: ref('model'), source('source', 'table') "
                    + "or this");
        }
        if (written.strip().equals("this")) {
            return new Input(written.strip(), model.uniqueId(), true, rows(project, fixture, null, at, label + ", input this"));
        }
        Matcher ref = REF.matcher(written);
        if (ref.matches()) {
            String name = ref.group(1);
            if (!model.refs().contains(name)) {
                throw notAnInput(model, written, at, label);
            }
            var target = project.refTarget(name);
            SeedNode seed = target instanceof SeedNode s ? s : null;
            return new Input(written.strip(), target.uniqueId(), false, rows(project, fixture, seed, at, label + ", input " + written));
        }
        Matcher source = SOURCE.matcher(written);
        if (source.matches()) {
            String key = source.group(1) + "." + source.group(2);
            SourceNode node = project.sources().get(key);
            if (node == null || !model.sources().contains(key)) {
                throw notAnInput(model, written, at, label);
            }
            return new Input(written.strip(), node.uniqueId(), false, rows(project, fixture, null, at, label + ", input " + written));
        }
        throw new ProjectException(at, label + ": input '" + written + "' is not ref('model'), source('source', 'table') "
                + "or this");
    }

    private static ProjectException notAnInput(ModelNode model, String written, SourceLocation at, String label) {
        List<String> inputs = new ArrayList<>();
        model.refs().stream().sorted().forEach(r -> inputs.add("ref('" + r + "')"));
        model.sources().stream().sorted().forEach(s -> inputs.add("source('" + s.replace(".", "', '") + "')"));
        return new ProjectException(at, label + ": given input " + written + " is not one that " + model.name() + " reads"
                + Suggestions.didYouMean(written, inputs) + "; its inputs are "
                + (inputs.isEmpty() ? "none" : String.join(", ", inputs)));
    }

    /**
     * The rows of one fixture, checked against its format.
     *
     * @param seed the seed this input stands for, whose own rows a dict input without rows takes (as dbt)
     */
    private Rows rows(Project project, UnitTestFixture fixture, SeedNode seed, SourceLocation at, String label) {
        Format format = format(fixture.format(), at, label);
        JsonNode rows = fixture.rows();
        boolean hasRows = rows != null && !rows.isNull();
        if (hasRows && fixture.fixture() != null) {
            throw new ProjectException(at, label + " gives both rows: and fixture:; keep one");
        }
        switch (format) {
            case DICT -> {
                if (fixture.fixture() != null) {
                    throw new ProjectException(at, label + ": a fixture file needs format: csv or format: sql");
                }
                if (!hasRows) {
                    return seed == null ? Rows.NONE : new Rows(Format.DICT, csvRows(
                            ProjectFiles.read(project.root(), seed.path()), SourceLocation.of(seed.path()), label), null);
                }
                if (!rows.isArray()) {
                    throw new ProjectException(at, label + " has rows which do not match format dict: write a list of "
                            + "mappings, e.g. rows: [{id: 1, name: a}], or set format: csv or sql");
                }
                List<Map<String, Object>> list = new ArrayList<>();
                for (JsonNode row : rows) {
                    if (!row.isObject()) {
                        throw new ProjectException(at, label + " has a row which is not a mapping of column to value: " + row);
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    row.fields().forEachRemaining(f -> values.put(f.getKey(), MAPPER.convertValue(f.getValue(), Object.class)));
                    list.add(values);
                }
                return new Rows(Format.DICT, list, null);
            }
            case CSV -> {
                if (hasRows && !rows.isTextual()) {
                    throw new ProjectException(at, label + " has rows which do not match format csv: write them as text, "
                            + "e.g. rows: |\n  id,name\n  1,a");
                }
                if (hasRows) {
                    return new Rows(Format.CSV, csvRows(rows.asText(), at, label), null);
                }
                String path = fixturePath(project, fixture.fixture(), "csv", at, label);
                return new Rows(Format.CSV, csvRows(ProjectFiles.read(project.root(), path), SourceLocation.of(path), label), null);
            }
            default -> {
                if (hasRows && !rows.isTextual()) {
                    throw new ProjectException(at, label + " has rows which do not match format sql: write a query as text, "
                            + "e.g. rows: select 1 as id");
                }
                String sql = hasRows ? rows.asText()
                        : ProjectFiles.read(project.root(), fixturePath(project, fixture.fixture(), "sql", at, label));
                return new Rows(Format.SQL, null, stripSemicolons(sql));
            }
        }
    }

    private static Format format(String written, SourceLocation at, String label) {
        if (written == null) {
            return Format.DICT;
        }
        for (Format format : Format.values()) {
            if (format.label().equals(written.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        List<String> known = List.of("dict", "csv", "sql");
        throw new ProjectException(at, label + ": unknown format '" + written + "'" + Suggestions.didYouMean(written, known)
                + "; formats are dict (the default), csv and sql");
    }

    private static String fixturePath(Project project, String fixture, String extension, SourceLocation at, String label) {
        if (fixture == null || fixture.isBlank()) {
            throw new ProjectException(at, label + " has no rows; give rows: (a list, or text for format csv and sql) "
                    + "or fixture: <file under " + FIXTURES + ">");
        }
        String path = FIXTURES + fixture + "." + extension;
        if (!Files.isRegularFile(project.root().resolve(path))) {
            throw new ProjectException(at, label + ": fixture '" + fixture + "' not found: no file " + path);
        }
        return path;
    }

    private static String stripSemicolons(String sql) {
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }

    /** CSV text with a header line as rows; an empty value is {@code null}, as in dbt. */
    static List<Map<String, Object>> csvRows(String text, SourceLocation at, String label) {
        List<List<String>> records = CsvText.parse(text.strip());
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0).stream().map(String::strip).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> record = records.get(i);
            if (record.size() == 1 && record.get(0).isBlank()) {
                continue;
            }
            if (record.size() != header.size()) {
                throw new ProjectException(at, label + " has a CSV row with " + record.size() + " values under a header of "
                        + header.size() + " columns (" + String.join(",", header) + "): " + String.join(",", record));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                String value = record.get(c);
                row.put(header.get(c), value.isEmpty() ? null : value);
            }
            rows.add(row);
        }
        return rows;
    }
}
