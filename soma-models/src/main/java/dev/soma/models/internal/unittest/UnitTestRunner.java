package dev.soma.models.internal.unittest;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.UnitTestNode;
import dev.soma.models.internal.project.UnitTestNode.Input;
import dev.soma.models.internal.project.UnitTestNode.Rows;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Runs unit tests, each in an in-memory DuckDB of its own: one table per input of the model (the given
 * rows, or none), typed as the project says ({@link InputSchemas}); the model's SQL on them; its output
 * compared with the expected rows as dbt compares: only the expected columns, order ignored, NULLs
 * equal, duplicates counted. A difference fails the test with a table of the differing rows
 * ({@link RowDiff}); a test that cannot run (bad SQL, a value that is not of its column's type) is an
 * error. Thread-safe: every run has its own database; what is learned about types is shared.
 */
public final class UnitTestRunner {

    private final Project project;
    private final NodeCatalog catalog;
    private final ArtifactWriter artifacts;
    private final Clock clock;
    private final InputSchemas schemas;

    public UnitTestRunner(Project project, NodeCatalog catalog, ArtifactWriter artifacts, Clock clock) {
        this.project = project;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.clock = clock;
        this.schemas = new InputSchemas(project);
    }

    /** Runs {@code test}; never throws for the test's own mistakes, which become an error result. */
    public NodeResult run(UnitTestNode test) {
        Instant start = clock.instant();
        Path compiledPath = null;
        try (Warehouse database = Warehouse.inMemory(); Session session = database.openSession()) {
            SqlOwner owner = SqlOwner.test(test.name());
            // unit tests run side by side on the run's threads: one core each
            session.execute(owner, "SET threads TO 1");
            ModelNode model = project.models().get(test.model());
            Map<String, String> refs = new LinkedHashMap<>();
            for (String ref : model.refs()) {
                refs.put(ref, input(session, owner, test, project.refTarget(ref), Identifiers.qualify("ref", ref)));
            }
            Map<String, String> sources = new LinkedHashMap<>();
            for (String source : model.sources()) {
                sources.put(source, input(session, owner, test, project.sources().get(source),
                        Identifiers.qualify("source", source)));
            }
            String self = Identifiers.qualify("this", model.name());
            Input selfInput = test.selfInput();
            if (selfInput != null) {
                self = fill(session, owner, test, selfInput.input(), schemas.of(model, session), selfInput.rows(), self);
            }
            Map<String, Object> vars = new LinkedHashMap<>(project.vars());
            vars.putAll(test.vars());
            String sql = InputSchemas.render(project, model, new UnitTestContext(refs, sources, self,
                    Boolean.TRUE.equals(test.incremental()), vars, session.engine().dialect()));
            compiledPath = artifacts.writeCompiled("unit_tests/" + model.name() + "/" + test.name(), sql);
            session.execute(owner, "CREATE TABLE actual AS\n" + sql);
            RowDiff diff = compare(session, owner, test);
            Duration took = Duration.between(start, clock.instant());
            if (diff.isEmpty()) {
                return new NodeResult(catalog.info(test.uniqueId()), NodeStatus.PASS, "PASS (" + diff.expected()
                        + (diff.expected() == 1 ? " row)" : " rows)"), -1, 0, List.of(), start, took, compiledPath, null, null);
            }
            List<Map<String, Object>> rows = diff.rows();
            return new NodeResult(catalog.info(test.uniqueId()), NodeStatus.FAIL, diff.describe(), -1, rows.size(),
                    rows.subList(0, Math.min(rows.size(), 2 * RowDiff.SHOWN)), start, took, compiledPath, null, null);
        } catch (SomaException e) {
            SomaException error = e instanceof SqlExecutionException sql
                    ? new SomaException(ErrorCode.SQL_ERROR, where(test) + ": " + sql.databaseMessage(), e)
                    : new SomaException(e.code(), where(test) + ": " + e.getMessage(), e);
            return new NodeResult(catalog.info(test.uniqueId()), NodeStatus.ERROR, error.getMessage(), -1, -1, List.of(),
                    start, Duration.between(start, clock.instant()), compiledPath, null, error);
        }
    }

    private static String where(UnitTestNode test) {
        return "unit test " + test.name() + " of model " + test.model() + " (" + test.path()
                + (test.line() > 0 ? ":" + test.line() : "") + ")";
    }

    /** The table standing for {@code node}: its given rows, or none. */
    private String input(Session session, SqlOwner owner, UnitTestNode test, Node node, String table) {
        Input given = test.inputFor(node.uniqueId());
        String written = node instanceof dev.soma.models.internal.project.SourceNode source
                ? "source('" + source.sourceName() + "', '" + source.tableName() + "')" : "ref('" + node.name() + "')";
        return fill(session, owner, test, given == null ? written : given.input(),
                schemas.of(node, session), given == null ? Rows.NONE : given.rows(), table);
    }

    private String fill(Session session, SqlOwner owner, UnitTestNode test, String input, InputSchemas.Schema schema,
                        Rows rows, String table) {
        String schemaName = table.substring(0, table.indexOf("\".\"") + 1);
        session.execute(owner, "CREATE SCHEMA IF NOT EXISTS " + schemaName);
        if (rows.format() == UnitTestNode.Format.SQL) {
            if (!schema.complete()) {
                // only some columns are known: the query says what the rest are
                session.execute(owner, "CREATE TABLE " + table + " AS\n" + rows.sql());
            } else {
                session.execute(owner, Fixtures.create(table, typed(schema.columns(), List.of(), false)));
                session.execute(owner, "INSERT INTO " + table + " BY NAME\nSELECT * FROM (\n" + rows.sql() + "\n)");
            }
            return table;
        }
        List<Column> columns = columns(test, input, schema, rows.rows(), rows.format() == UnitTestNode.Format.CSV);
        session.execute(owner, Fixtures.create(table, columns));
        if (!rows.rows().isEmpty()) {
            try {
                session.execute(owner, Fixtures.insert(table, columns, rows.rows()));
            } catch (SqlExecutionException e) {
                throw new SomaException(ErrorCode.PROJECT_INVALID, "the rows given for " + input + " do not fit its columns ("
                        + describe(columns) + "): " + e.databaseMessage(), e);
            }
        }
        return table;
    }

    /** An input's columns: all it has, or those declared and given; an untyped one typed from its values. */
    private static List<Column> columns(UnitTestNode test, String input, InputSchemas.Schema schema,
                                        List<Map<String, Object>> rows, boolean csv) {
        Map<String, Column> columns = new LinkedHashMap<>();
        schema.columns().forEach(c -> columns.put(c.name().toLowerCase(Locale.ROOT), c));
        for (String given : Fixtures.columnsOf(rows)) {
            if (!columns.containsKey(given.toLowerCase(Locale.ROOT))) {
                if (schema.complete()) {
                    throw new SomaException(ErrorCode.PROJECT_INVALID, "input " + input + " has no column '" + given
                            + "'; its columns are " + String.join(", ", schema.columns().stream().map(Column::name).toList()));
                }
                columns.put(given.toLowerCase(Locale.ROOT), new Column(given, null));
            }
        }
        if (columns.isEmpty()) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "cannot tell the columns of input " + input + ", which "
                    + "is not given" + (schema.problem() == null ? " and declares none"
                    : ": its SQL does not run on its own inputs' declared columns (" + schema.problem() + ")")
                    + "; give rows for it, or declare its columns with data_type in YAML");
        }
        return typed(new ArrayList<>(columns.values()), rows, csv);
    }

    private static List<Column> typed(List<Column> columns, List<Map<String, Object>> rows, boolean csv) {
        return columns.stream().map(c -> c.type() != null ? c : c.withType(Fixtures.guessType(rows, c.name(), csv))).toList();
    }

    private static String describe(List<Column> columns) {
        StringJoiner text = new StringJoiner(", ");
        columns.forEach(c -> text.add(c.name() + " " + c.type()));
        return text.toString();
    }

    /** The expected rows against the model's output, on the expected columns. */
    private RowDiff compare(Session session, SqlOwner owner, UnitTestNode test) {
        List<Column> actual = InputSchemas.describe(session, "SELECT * FROM actual");
        Map<String, Column> byName = new LinkedHashMap<>();
        actual.forEach(c -> byName.put(c.name().toLowerCase(Locale.ROOT), c));
        Rows expect = test.expect();
        List<Column> compared = new ArrayList<>();
        if (expect.format() == UnitTestNode.Format.SQL) {
            session.execute(owner, "CREATE TABLE expected AS\n" + expect.sql());
            for (Column column : InputSchemas.describe(session, "SELECT * FROM expected")) {
                compared.add(outputColumn(byName, column.name(), actual));
            }
        } else {
            for (String name : Fixtures.columnsOf(expect.rows())) {
                compared.add(outputColumn(byName, name, actual));
            }
            if (compared.isEmpty()) {
                compared.addAll(actual); // no expected rows: the model must return none
            }
            List<Column> expectedColumns = compared.stream()
                    .map(c -> new Column(Fixtures.columnsOf(expect.rows()).stream().filter(n -> n.equalsIgnoreCase(c.name()))
                            .findFirst().orElse(c.name()), c.type())).toList();
            session.execute(owner, Fixtures.create("expected", expectedColumns));
            if (!expect.rows().isEmpty()) {
                try {
                    session.execute(owner, Fixtures.insert("expected", expectedColumns, expect.rows()));
                } catch (SqlExecutionException e) {
                    throw new SomaException(ErrorCode.PROJECT_INVALID, "the expected rows do not fit the model's columns ("
                            + describe(compared) + "): " + e.databaseMessage(), e);
                }
            }
        }
        StringJoiner fromActual = new StringJoiner(", ");
        StringJoiner fromExpected = new StringJoiner(", ");
        for (Column column : compared) {
            String quoted = Identifiers.quote(column.name());
            fromActual.add("CAST(" + quoted + " AS VARCHAR) AS " + quoted);
            fromExpected.add("CAST(CAST(" + quoted + " AS " + column.type() + ") AS VARCHAR) AS " + quoted);
        }
        String actualRows = "SELECT " + fromActual + " FROM actual";
        String expectedRows = "SELECT " + fromExpected + " FROM expected";
        List<List<String>> missing = rows(session, owner, expectedRows + "\nEXCEPT ALL\n" + actualRows, compared.size());
        List<List<String>> extra = rows(session, owner, actualRows + "\nEXCEPT ALL\n" + expectedRows, compared.size());
        long expectedCount = session.queryLong(owner, "SELECT count(*) FROM expected");
        long returned = session.queryLong(owner, "SELECT count(*) FROM actual");
        return new RowDiff(compared.stream().map(Column::name).toList(), missing, extra, expectedCount, returned);
    }

    private static Column outputColumn(Map<String, Column> byName, String name, List<Column> actual) {
        Column column = byName.get(name.toLowerCase(Locale.ROOT));
        if (column == null) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "expect names column '" + name + "', which the model does not "
                    + "return; it returns " + String.join(", ", actual.stream().map(Column::name).toList()));
        }
        return column;
    }

    private static List<List<String>> rows(Session session, SqlOwner owner, String sql, int width) {
        return session.queryList(owner, sql, rs -> row(rs, width));
    }

    private static List<String> row(ResultSet rs, int width) throws SQLException {
        List<String> values = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
            values.add(rs.getString(i));
        }
        return values;
    }
}
