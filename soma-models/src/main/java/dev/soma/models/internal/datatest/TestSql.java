package dev.soma.models.internal.datatest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.engine.Dialect;
import dev.soma.core.engine.Engine;
import dev.soma.models.api.Relation;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.materialize.Increment;
import dev.soma.models.internal.project.BuiltinTest;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.TestTarget;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.project.TestNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongUnaryOperator;

/**
 * The SQL of the built-in generic tests: a query returning the failing rows (what the compiled test
 * file holds, what samples and stored failures come from), and, for tests that can share a scan, an
 * aggregate that counts the same rows inside one query over the relation. Names and the queries whose
 * spelling differs ({@link Engine#beyondFirst}) come from the compiler's engine.
 */
final class TestSql {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Project project;
    private final Compiler compiler;
    private final Engine engine;
    private final Dialect dialect;

    TestSql(Project project, Compiler compiler) {
        this.project = project;
        this.compiler = compiler;
        this.engine = compiler.engine();
        this.dialect = engine.dialect();
    }

    /**
     * What a test names to read {@code node}: its relation, or for an ephemeral model, which is never
     * built, its inlined query in parentheses.
     */
    String from(Node node) {
        if (node instanceof ModelNode model && model.isEphemeral()) {
            return "(\n" + compiler.ephemeralQuery(model) + "\n)";
        }
        return node.relation().quoted(dialect);
    }

    /**
     * A count that can be folded into a shared aggregate over the tested relation.
     *
     * @param aggregate  an aggregate expression over the relation's rows, {@code where} already applied
     * @param toFailures turns the aggregate's value into the number of failing rows
     */
    record Folded(String aggregate, LongUnaryOperator toFailures) {
    }

    /** The relation a generic test reads: its attached node's, with the test's {@code where} applied. */
    String tested(TestNode test) {
        String relation = from(attached(test));
        String where = test.config().where();
        return where == null ? relation : "(SELECT * FROM " + relation + " WHERE (" + where + "))";
    }

    /** Like {@link #tested} over {@code relation} instead of the attached node's. */
    private String tested(TestNode test, Relation relation) {
        String where = test.config().where();
        String quoted = relation.quoted(dialect);
        return where == null ? quoted : "(SELECT * FROM " + quoted + " WHERE (" + where + "))";
    }

    /**
     * The query returning the failing rows of a built-in test among the rows of {@code increment}; with
     * the rest of the table passing (see {@link IncrementScope}), exactly the rows {@link #failingRows}
     * returns. Row-local tests and {@code relationships} read the increment alone; {@code unique} reads
     * the whole table, but only the rows whose key is one of the increment's, so it aggregates only those.
     */
    String failingRowsIn(BuiltinTest kind, TestNode test, Increment increment) {
        String newRows = tested(test, increment.table());
        String column = test.column() == null ? null : dialect.quote(test.column());
        return switch (kind) {
            case NOT_NULL -> "SELECT * FROM " + newRows + " WHERE " + column + " IS NULL";
            case ACCEPTED_VALUES, ACCEPTED_RANGE, EXPRESSION_IS_TRUE -> "SELECT * FROM " + newRows + " WHERE " + failing(kind, test);
            case UNIQUE -> engine.beyondFirst(column, tested(test) + " AS soma_all\n  WHERE " + column + " IN (SELECT "
                    + column + " FROM " + newRows + " AS soma_new)");
            case UNIQUE_COMBINATION_OF_COLUMNS -> {
                StringJoiner match = new StringJoiner(" AND ");
                test.arguments().get("combination_of_columns").forEach(c -> {
                    String name = dialect.quote(c.asText());
                    match.add("soma_all." + name + " IS NOT DISTINCT FROM soma_new." + name);
                });
                String columns = columnList(test.arguments().get("combination_of_columns"));
                yield engine.beyondFirst(columns, tested(test) + " AS soma_all\n  SEMI JOIN (SELECT DISTINCT "
                        + columns + " FROM " + newRows + ") AS soma_new ON " + match);
            }
            case RELATIONSHIPS -> unresolved(test, newRows);
            case ROW_COUNT, NOT_EMPTY -> throw new IllegalArgumentException(kind + " reads the whole table");
        };
    }

    Node attached(TestNode test) {
        return project.nodes().get(test.attachedTo());
    }

    /** The query returning exactly the failing rows of a built-in test (before {@code limit}). */
    String failingRows(BuiltinTest kind, TestNode test) {
        String from = tested(test);
        String column = test.column() == null ? null : dialect.quote(test.column());
        ObjectNode args = test.arguments();
        return switch (kind) {
            case NOT_NULL -> "SELECT * FROM " + from + " WHERE " + column + " IS NULL";
            case UNIQUE -> duplicates(from, column, column + " IS NOT NULL");
            case UNIQUE_COMBINATION_OF_COLUMNS -> duplicates(from, columnList(args.get("combination_of_columns")), null);
            case ACCEPTED_VALUES, ACCEPTED_RANGE, EXPRESSION_IS_TRUE ->
                    "SELECT * FROM " + from + " WHERE " + failing(kind, test);
            case ROW_COUNT, NOT_EMPTY -> "SELECT count(*) AS row_count FROM " + from + " HAVING " + failing(kind, test);
            case RELATIONSHIPS -> unresolved(test, from);
        };
    }

    /** Rows of {@code from} whose non-null reference is missing from the {@code relationships} parent. */
    private String unresolved(TestNode test, String from) {
        ObjectNode args = test.arguments();
        Node parent = TestTarget.resolve(project, args.get("to").asText(),
                SourceLocation.of(test.path(), test.line()), "test " + test.name());
        String column = dialect.quote(test.column());
        String field = dialect.quote(args.get("field").asText());
        return "SELECT soma_child.* FROM " + from + " AS soma_child\nWHERE soma_child." + column
                + " IS NOT NULL AND NOT EXISTS (\n  SELECT 1 FROM " + from(parent)
                + " AS soma_parent WHERE soma_parent." + field + " = soma_child." + column + "\n)";
    }

    /** The shared-scan form of a built-in test, or {@code null} when it needs its own query. */
    Folded folded(BuiltinTest kind, TestNode test) {
        String where = test.config().where();
        String column = test.column() == null ? null : dialect.quote(test.column());
        return switch (kind) {
            case NOT_NULL, ACCEPTED_VALUES, ACCEPTED_RANGE, EXPRESSION_IS_TRUE -> {
                String condition = kind == BuiltinTest.NOT_NULL ? column + " IS NULL" : failing(kind, test);
                yield new Folded("count_if(" + and(where, condition) + ")", n -> n);
            }
            case UNIQUE -> new Folded(filtered("count(" + column + ")", where) + " - "
                    + filtered("count(DISTINCT " + column + ")", where), n -> n);
            case UNIQUE_COMBINATION_OF_COLUMNS -> new Folded(filtered("count(*)", where) + " - "
                    + filtered("count(DISTINCT (" + columnList(test.arguments().get("combination_of_columns")) + "))", where),
                    n -> n);
            case ROW_COUNT -> {
                JsonNode min = test.arguments().get("min_value");
                JsonNode max = test.arguments().get("max_value");
                yield new Folded(filtered("count(*)", where), n -> (min != null && n < min.asLong())
                        || (max != null && n > max.asLong()) ? 1 : 0);
            }
            case NOT_EMPTY -> new Folded(filtered("count(*)", where), n -> n == 0 ? 1 : 0);
            case RELATIONSHIPS -> null;
        };
    }

    /** Columns of the tested relation the test names, to check before running it. */
    List<String> columns(BuiltinTest kind, TestNode test) {
        List<String> columns = new ArrayList<>();
        if (test.column() != null) {
            columns.add(test.column());
        }
        if (kind == BuiltinTest.UNIQUE_COMBINATION_OF_COLUMNS) {
            test.arguments().get("combination_of_columns").forEach(c -> columns.add(c.asText()));
        }
        return columns;
    }

    /** The condition a failing row meets, for tests that filter rows. */
    private String failing(BuiltinTest kind, TestNode test) {
        ObjectNode args = test.arguments();
        String column = test.column() == null ? null : dialect.quote(test.column());
        switch (kind) {
            case ACCEPTED_VALUES -> {
                boolean quote = !args.has("quote") || args.get("quote").asBoolean();
                StringJoiner values = new StringJoiner(", ", "(", ")");
                args.get("values").forEach(v -> values.add(quote ? literal(v) : v.asText()));
                return column + " NOT IN " + values;
            }
            case ACCEPTED_RANGE -> {
                boolean inclusive = !args.has("inclusive") || args.get("inclusive").asBoolean();
                List<String> bounds = new ArrayList<>();
                if (args.has("min_value")) {
                    bounds.add(column + (inclusive ? " >= " : " > ") + literal(args.get("min_value")));
                }
                if (args.has("max_value")) {
                    bounds.add(column + (inclusive ? " <= " : " < ") + literal(args.get("max_value")));
                }
                return "NOT (" + String.join(" AND ", bounds) + ")";
            }
            case EXPRESSION_IS_TRUE -> {
                String expression = args.get("expression").asText();
                return "NOT (" + (column == null ? expression : column + " " + expression) + ")";
            }
            case ROW_COUNT -> {
                List<String> bounds = new ArrayList<>();
                if (args.has("min_value")) {
                    bounds.add("count(*) >= " + args.get("min_value").asLong());
                }
                if (args.has("max_value")) {
                    bounds.add("count(*) <= " + args.get("max_value").asLong());
                }
                return "NOT (" + String.join(" AND ", bounds) + ")";
            }
            case NOT_EMPTY -> {
                return "count(*) = 0";
            }
            default -> throw new IllegalArgumentException(kind + " does not filter rows");
        }
    }

    /** Rows beyond the first of each value of {@code key}: exactly {@code count(key) - count(DISTINCT key)} rows. */
    private String duplicates(String from, String key, String condition) {
        return engine.beyondFirst(key, from + (condition == null ? "" : " WHERE " + condition));
    }

    private String columnList(JsonNode columns) {
        StringJoiner list = new StringJoiner(", ");
        columns.forEach(c -> list.add(dialect.quote(c.asText())));
        return list.toString();
    }

    private static String filtered(String aggregate, String where) {
        return where == null ? aggregate : aggregate + " FILTER (WHERE " + where + ")";
    }

    private static String and(String where, String condition) {
        return where == null ? condition : "(" + where + ") AND (" + condition + ")";
    }

    private String literal(JsonNode value) {
        if (value.isNumber()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "TRUE" : "FALSE";
        }
        return dialect.literal(value.asText());
    }
}
