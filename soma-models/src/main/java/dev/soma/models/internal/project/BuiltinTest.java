package dev.soma.models.internal.project;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The generic tests Soma knows, with the arguments each takes. {@code config}, {@code name} and
 * {@code column_name} are accepted by every test.
 */
public enum BuiltinTest {
    UNIQUE("unique", Scope.COLUMN, List.of(), List.of()),
    NOT_NULL("not_null", Scope.COLUMN, List.of(), List.of()),
    ACCEPTED_VALUES("accepted_values", Scope.COLUMN, List.of("values"), List.of("quote")),
    RELATIONSHIPS("relationships", Scope.COLUMN, List.of("to", "field"), List.of()),
    ACCEPTED_RANGE("accepted_range", Scope.COLUMN, List.of(), List.of("min_value", "max_value", "inclusive")),
    EXPRESSION_IS_TRUE("expression_is_true", Scope.EITHER, List.of("expression"), List.of()),
    UNIQUE_COMBINATION_OF_COLUMNS("unique_combination_of_columns", Scope.MODEL, List.of("combination_of_columns"), List.of()),
    ROW_COUNT("row_count", Scope.MODEL, List.of(), List.of("min_value", "max_value")),
    NOT_EMPTY("not_empty", Scope.MODEL, List.of(), List.of());

    /** Where a test may be declared. */
    public enum Scope { COLUMN, MODEL, EITHER }

    /** Arguments every test accepts. */
    public static final List<String> COMMON_ARGUMENTS = List.of("config", "name", "column_name");

    private static final BuiltinTest[] VALUES = values();

    private final String testName;
    private final Scope scope;
    private final List<String> required;
    private final List<String> optional;

    BuiltinTest(String testName, Scope scope, List<String> required, List<String> optional) {
        this.testName = testName;
        this.scope = scope;
        this.required = required;
        this.optional = optional;
    }

    public String testName() {
        return testName;
    }

    public Scope scope() {
        return scope;
    }

    public List<String> required() {
        return required;
    }

    public List<String> optional() {
        return optional;
    }

    /** Every argument this test accepts, common ones included. */
    public List<String> arguments() {
        List<String> all = new java.util.ArrayList<>(required);
        all.addAll(optional);
        all.addAll(COMMON_ARGUMENTS);
        return all;
    }

    /** The test called {@code name}; a {@code dbt_utils.} prefix is accepted, as projects migrate from dbt. */
    public static Optional<BuiltinTest> named(String name) {
        String plain = name.startsWith("dbt_utils.") ? name.substring("dbt_utils.".length()) : name;
        for (BuiltinTest test : VALUES) {
            if (test.testName.equals(plain)) {
                return Optional.of(test);
            }
        }
        return Optional.empty();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(BuiltinTest::testName).toList();
    }
}
