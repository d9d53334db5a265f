package dev.soma.models.internal.datatest;

import dev.soma.core.engine.Column;
import dev.soma.core.engine.Dialect;
import dev.soma.core.error.SomaException;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.text.Suggestions;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.Relation;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.core.text.Checksums;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.concurrent.OncePerKey;
import dev.soma.models.internal.graph.NodeCatalog;
import dev.soma.models.internal.materialize.Increment;
import dev.soma.models.internal.materialize.RelationType;
import dev.soma.models.internal.materialize.RunIncrements;
import dev.soma.models.internal.project.BuiltinTest;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.SchemaFile.Freshness;
import dev.soma.models.internal.project.SchemaFile.Period;
import dev.soma.models.internal.project.SourceNode;
import dev.soma.models.internal.project.Severity;
import dev.soma.models.internal.project.TestKind;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.internal.project.TestTarget;
import dev.soma.models.internal.project.Thresholds;
import dev.soma.models.internal.template.TemplateOwner;

import java.nio.file.Path;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;

/**
 * Runs data tests on a worker's session and turns each into a result: pass, warn, fail or error,
 * with the number of failing rows, up to five sample rows, the compiled SQL file, and (with
 * {@code store_failures}) the failing rows kept in {@code soma_test_failures}.
 *
 * <p>Thread-safe: one instance serves every worker of a run; shared scans are computed once.
 */
public final class TestExecutor {

    /** Where {@code store_failures} keeps failing rows. */
    public static final String FAILURES_SCHEMA = "soma_test_failures";
    private static final int SAMPLES = 5;
    private static final String COUNT_COLUMN = "soma_failing_rows";

    private final Project project;
    private final Compiler compiler;
    private final ArtifactWriter artifacts;
    private final Clock clock;
    private final TestSql sql;
    private final NodeCatalog catalog;
    private final SharedScans scans;
    private final IncrementScope increments;
    private final UnaryOperator<String> liveNames;
    private final OncePerKey<Relation, Set<String>> columnsByRelation = new OncePerKey<>();

    /**
     * @param planned the tests of this run, so tests on one relation can share a scan
     * @param fold    whether to fold column checks into shared scans (off only to measure the difference)
     * @param built   what this run built, so tests of an incremental build can check only its increment;
     *                {@code null} tests every row ({@code --full-test})
     * @param liveNames a test's SQL as it reads on the live relation names (a write-audit-publish build
     *                  tests shadows), for the checksum that recognises a test across runs
     */
    public TestExecutor(Project project, Compiler compiler, ArtifactWriter artifacts, Clock clock,
                        Collection<TestNode> planned, boolean fold, NodeCatalog catalog, RunIncrements built,
                        UnaryOperator<String> liveNames) {
        this.increments = new IncrementScope(project, built);
        this.liveNames = liveNames;
        this.project = project;
        this.compiler = compiler;
        this.artifacts = artifacts;
        this.clock = clock;
        this.sql = new TestSql(project, compiler);
        this.catalog = catalog;
        this.scans = new SharedScans(fold ? planned : List.of());
    }

    /** Whether any of {@code tests} keeps its failing rows, so the schema must exist. */
    public static boolean storesFailures(Collection<TestNode> tests) {
        return tests.stream().anyMatch(t -> Boolean.TRUE.equals(t.config().storeFailures()));
    }

    public NodeResult run(TestNode test, Session session) {
        Instant start = clock.instant();
        Path compiledPath = null;
        try {
            if (test.kind() == TestKind.FRESHNESS) {
                return freshness(test, session, start);
            }
            BuiltinTest builtin = test.kind() == TestKind.GENERIC ? BuiltinTest.named(test.testName()).orElse(null) : null;
            if (builtin != null) {
                checkColumns(test, builtin, session);
            }
            String rows = failingRows(test, builtin);
            // the checksum names the test (its full SQL, on the live names) whichever rows it checks and
            // whether it ran in a shadow, so the next run can tell it is the same test that passed
            String checksum = Checksums.sha256(liveNames.apply(rows));
            Increment increment = increments.of(test, builtin, checksum, session);
            if (increment != null) {
                rows = limited(test, sql.failingRowsIn(builtin, test, increment));
            }
            compiledPath = artifacts.writeCompiled("tests/" + test.name() + ".sql", rows);
            Failing failing = failing(test, increment == null ? builtin : null, rows, session, compiledPath);
            NodeStatus status = status(test, failing.count());
            String message = status == NodeStatus.PASS ? "pass"
                    : String.format(Locale.ROOT, "%,d failing row%s", failing.count(), failing.count() == 1 ? "" : "s")
                    + (storesFailures(test) ? "; stored in " + FAILURES_SCHEMA + "." + test.name() : "");
            if (increment != null) {
                message += String.format(Locale.ROOT, " (checked the %,d row%s this run added or changed)",
                        increment.rows(), increment.rows() == 1 ? "" : "s");
            }
            return new NodeResult(catalog.info(test), status, message, -1, failing.count(), failing.samples(), start,
                    Duration.between(start, clock.instant()), compiledPath, checksum, null);
        } catch (SomaException e) {
            return new NodeResult(catalog.info(test), NodeStatus.ERROR, e.getMessage(), -1, -1, List.of(), start,
                    Duration.between(start, clock.instant()), compiledPath, null, e);
        }
    }

    /** How many rows fail a test, and a few of them. */
    private record Failing(long count, List<Map<String, Object>> samples) {
    }

    /**
     * Runs the test's failing-rows query at most once. With {@code store_failures} it runs into the
     * failures table, and the count and samples are read back from there. A built-in test is counted
     * by an aggregate over its relation (shared with other checks on a view, or its own), and only a
     * failing one runs its query, for samples. Any other test runs its query once, counting every row
     * and keeping the first few.
     */
    private Failing failing(TestNode test, BuiltinTest builtin, String rows, Session session, Path compiledPath) {
        if (storesFailures(test)) {
            String stored = session.engine().dialect().relation(FAILURES_SCHEMA, test.name());
            String statement = session.engine().createOrReplaceTable(stored, rows);
            query(test, session, compiledPath, statement, () -> session.execute(SqlOwner.test(test.name()), statement));
            return countAndSamples(test, "SELECT * FROM " + stored, session, compiledPath);
        }
        TestSql.Folded folded = builtin == null ? null : sql.folded(builtin, test);
        if (folded != null) {
            Long shared = scans.failures(test, session);
            long count = shared != null ? shared : ownAggregate(test, folded, session, compiledPath);
            Long limit = test.config().limit();
            count = limit == null ? count : Math.min(count, limit);
            return new Failing(count, count > 0 ? samples(test, rows, session, compiledPath) : List.of());
        }
        return countAndSamples(test, rows, session, compiledPath);
    }

    private long ownAggregate(TestNode test, TestSql.Folded folded, Session session, Path compiledPath) {
        String statement = "SELECT " + folded.aggregate() + " FROM " + sql.from(sql.attached(test));
        long value = query(test, session, compiledPath, statement,
                () -> session.queryLong(SqlOwner.test(test.name()), statement));
        return folded.toFailures().applyAsLong(value);
    }

    /** One query: the first rows of {@code rows}, each carrying the count of all of them. */
    private Failing countAndSamples(TestNode test, String rows, Session session, Path compiledPath) {
        String statement = "SELECT count(*) OVER () AS " + COUNT_COLUMN + ", * FROM (\n" + rows + "\n) LIMIT " + SAMPLES;
        List<Map<String, Object>> samples = readRows(test, statement, session, compiledPath);
        if (samples.isEmpty()) {
            return new Failing(0, List.of());
        }
        long count = ((Number) samples.get(0).get(COUNT_COLUMN)).longValue();
        samples.forEach(row -> row.remove(COUNT_COLUMN));
        return new Failing(count, samples);
    }

    private String failingRows(TestNode test, BuiltinTest builtin) {
        String rows;
        if (builtin != null) {
            rows = sql.failingRows(builtin, test);
        } else if (test.kind() == TestKind.SINGULAR) {
            rows = compiler.compileTest(test.path(), TemplateOwner.test(test.name()), Map.of());
        } else {
            rows = compiler.compileTest("tests/generic/" + test.testName() + ".sql", TemplateOwner.test(test.name()),
                    TestNode.customVariables(sql.tested(test), test.column(), test.arguments()));
        }
        return limited(test, rows);
    }

    private static String limited(TestNode test, String rows) {
        Long limit = test.config().limit();
        return limit == null ? rows : "SELECT * FROM (\n" + rows + "\n) LIMIT " + limit;
    }

    private NodeStatus status(TestNode test, long failures) {
        Thresholds errorIf = Thresholds.parse(test.config().errorIf());
        Thresholds warnIf = Thresholds.parse(test.config().warnIf());
        if (test.severity() == Severity.ERROR && errorIf.test(failures)) {
            return NodeStatus.FAIL;
        }
        return warnIf.test(failures) ? NodeStatus.WARN : NodeStatus.PASS;
    }

    private List<Map<String, Object>> samples(TestNode test, String rows, Session session, Path compiledPath) {
        return readRows(test, "SELECT * FROM (\n" + rows + "\n) LIMIT " + SAMPLES, session, compiledPath);
    }

    private List<Map<String, Object>> readRows(TestNode test, String statement, Session session, Path compiledPath) {
        return query(test, session, compiledPath, statement, () -> session.query(SqlOwner.test(test.name()), statement, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> samples = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    Object value = rs.getObject(c);
                    row.put(meta.getColumnLabel(c), value instanceof Number || value instanceof Boolean || value == null
                            ? value : value.toString());
                }
                samples.add(row);
            }
            return samples;
        }));
    }

    private static boolean storesFailures(TestNode test) {
        return Boolean.TRUE.equals(test.config().storeFailures());
    }

    /** Before running, check the columns the test names exist, so the error names the YAML line. */
    private void checkColumns(TestNode test, BuiltinTest builtin, Session session) {
        Node attached = sql.attached(test);
        check(test, attached, sql.columns(builtin, test), session);
        if (builtin == BuiltinTest.RELATIONSHIPS) {
            Node parent = TestTarget.resolve(project, test.arguments().get("to").asText(), location(test), "test " + test.name());
            check(test, parent, List.of(test.arguments().get("field").asText()), session);
        }
    }

    private void check(TestNode test, Node node, List<String> wanted, Session session) {
        if (wanted.isEmpty() || compiler.isDeferred(node)) {
            return;
        }
        boolean ephemeral = node instanceof ModelNode model && model.isEphemeral();
        Set<String> columns = ephemeral ? ephemeralColumns(test, node, session) : columns(node.relation(), session);
        String described = ephemeral ? "ephemeral model " + node.name() : node.relation().toString();
        if (columns.isEmpty()) {
            throw new ProjectException(location(test), "test " + test.name() + ": " + described + " does not exist; "
                    + "build it first ('soma run' or 'soma build')");
        }
        for (String column : wanted) {
            if (!columns.contains(column)) {
                throw new ProjectException(location(test), "test " + test.name() + ": column '" + column
                        + "' does not exist in " + described + Suggestions.didYouMean(column, columns)
                        + "; fix the column name in the YAML");
            }
        }
    }

    /** The columns of an ephemeral model's inlined query, read from its result's metadata without reading rows. */
    private Set<String> ephemeralColumns(TestNode test, Node node, Session session) {
        String statement = "SELECT * FROM " + sql.from(node) + " LIMIT 0";
        return query(test, session, null, statement, () -> session.query(SqlOwner.test(test.name()), statement, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                names.add(meta.getColumnLabel(c));
            }
            return Set.copyOf(names);
        }));
    }

    private Set<String> columns(Relation relation, Session session) {
        return columnsByRelation.get(relation, key -> session.engine().columns(session, relation.schema(), relation.identifier())
                .stream().map(Column::name).collect(Collectors.toUnmodifiableSet()));
    }

    private static SourceLocation location(TestNode test) {
        return SourceLocation.of(test.path(), test.line());
    }

    /** Runs {@code work}; the engine's error becomes one naming the test, its declaration and the compiled file. */
    private <T> T query(TestNode test, Session session, Path compiledPath, String statement, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (SqlExecutionException e) {
            SQLException cause = e.getCause() instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            throw new ModelExecutionException(SqlOwner.test(test.name()), location(test), compiledPath, statement, cause, e.engine());
        }
    }

    private NodeResult freshness(TestNode test, Session session, Instant start) {
        SourceNode source = (SourceNode) sql.attached(test);
        Freshness freshness = source.freshness();
        check(test, source, List.of(source.loadedAtField()), session);
        Dialect dialect = session.engine().dialect();
        String query = "SELECT max(" + dialect.quote(source.loadedAtField()) + ") FROM " + source.relation().quoted(dialect)
                + (freshness.filter() == null ? "" : " WHERE " + freshness.filter());
        Path compiledPath = artifacts.writeCompiled("tests/" + test.name() + ".sql", query);
        Object newest = query(test, session, compiledPath, query,
                () -> session.query(SqlOwner.test(test.name()), query, rs -> rs.next() ? rs.getObject(1) : null));
        Instant loaded = instant(newest);
        Instant now = clock.instant();
        NodeStatus status;
        String message;
        Map<String, Object> sample = new LinkedHashMap<>();
        if (loaded == null) {
            status = NodeStatus.FAIL;
            message = source.relation() + " has no rows, so no " + source.loadedAtField();
        } else {
            Duration age = Duration.between(loaded, now);
            sample.put("max_loaded_at", String.valueOf(newest));
            sample.put("age_hours", Math.round(age.toMinutes() / 6.0) / 10.0);
            if (exceeds(age, freshness.errorAfter())) {
                status = NodeStatus.FAIL;
                message = "stale: newest " + source.loadedAtField() + " is " + describe(age) + " old, over error_after "
                        + describe(freshness.errorAfter());
            } else if (exceeds(age, freshness.warnAfter())) {
                status = NodeStatus.WARN;
                message = "stale: newest " + source.loadedAtField() + " is " + describe(age) + " old, over warn_after "
                        + describe(freshness.warnAfter());
            } else {
                status = NodeStatus.PASS;
                message = "fresh: newest " + source.loadedAtField() + " is " + describe(age) + " old";
            }
        }
        if (status == NodeStatus.FAIL && test.severity() == Severity.WARN) {
            status = NodeStatus.WARN;
        }
        return new NodeResult(catalog.info(test), status, message, -1, status == NodeStatus.PASS ? 0 : 1,
                sample.isEmpty() ? List.of() : List.of(sample), start, Duration.between(start, clock.instant()), compiledPath,
                null, null);
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return null;
    }

    private static boolean exceeds(Duration age, Period period) {
        return period != null && age.compareTo(duration(period)) > 0;
    }

    private static Duration duration(Period period) {
        ChronoUnit unit = switch (period.period()) {
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        return Duration.of(period.count(), unit);
    }

    private static String describe(Period period) {
        return period.count() + " " + period.period() + (period.count() == 1 ? "" : "s");
    }

    private static String describe(Duration age) {
        long hours = age.toHours();
        return hours >= 48 ? age.toDays() + " days" : hours >= 1 ? hours + " hours" : age.toMinutes() + " minutes";
    }

    /**
     * Column checks on one view folded into one aggregate query, computed by the first of those tests to
     * run and shared by the rest. Only views: a separate query over a view recomputes it (its joins and
     * casts) every time, while over a table DuckDB reads just the one column a check needs, which
     * measured as fast as a shared scan or faster (see benchmarks/README.md). A test whose columns do not
     * exist, or whose shared query fails, falls back to its own query so its error stays its own.
     */
    private final class SharedScans {

        private final Map<String, List<TestNode>> byRelation = new LinkedHashMap<>();
        private final OncePerKey<String, Map<String, Long>> results = new OncePerKey<>();

        SharedScans(Collection<TestNode> planned) {
            for (TestNode test : planned) {
                BuiltinTest builtin = test.kind() == TestKind.GENERIC ? BuiltinTest.named(test.testName()).orElse(null) : null;
                if (builtin != null && sql.folded(builtin, test) != null) {
                    byRelation.computeIfAbsent(test.attachedTo(), k -> new ArrayList<>()).add(test);
                }
            }
            byRelation.values().removeIf(tests -> tests.size() < 2);
        }

        /** The test's failure count from the shared scan, or {@code null} when it must run its own query. */
        Long failures(TestNode test, Session session) {
            List<TestNode> group = byRelation.get(test.attachedTo());
            if (group == null || !group.contains(test)) {
                return null;
            }
            Map<String, Long> counts = results.get(test.attachedTo(), key -> scan(group, session));
            return counts.get(test.name());
        }

        private Map<String, Long> scan(List<TestNode> group, Session session) {
            Node attached = sql.attached(group.get(0));
            if (RelationType.of(session.relationType(attached.relation().schema(), attached.relation().identifier()))
                    != RelationType.VIEW) {
                return Map.of();
            }
            Set<String> columns = columns(attached.relation(), session);
            List<TestNode> runnable = new ArrayList<>();
            List<String> aggregates = new ArrayList<>();
            for (TestNode test : group) {
                BuiltinTest builtin = BuiltinTest.named(test.testName()).orElseThrow();
                if (columns.containsAll(sql.columns(builtin, test))) {
                    runnable.add(test);
                    aggregates.add(sql.folded(builtin, test).aggregate() + " AS "
                            + session.engine().dialect().quote("f" + runnable.size()));
                }
            }
            if (runnable.isEmpty()) {
                return Map.of();
            }
            String query = "SELECT\n  " + String.join(",\n  ", aggregates) + "\nFROM "
                    + attached.relation().quoted(session.engine().dialect());
            try {
                return session.query(SqlOwner.test("shared scan of " + attached.name()), query, rs -> {
                    rs.next();
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (int i = 0; i < runnable.size(); i++) {
                        TestNode test = runnable.get(i);
                        BuiltinTest builtin = BuiltinTest.named(test.testName()).orElseThrow();
                        counts.put(test.name(), sql.folded(builtin, test).toFailures().applyAsLong(rs.getLong(i + 1)));
                    }
                    return counts;
                });
            } catch (SqlExecutionException e) {
                return Map.of();
            }
        }
    }
}
