package dev.soma.spark.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Splits a script into statements and tells queries from commands. Spark's {@code sql()} takes one
 * statement at a time; semicolons inside quotes, backticks and comments do not split.
 */
final class SqlScript {

    private static final Set<String> QUERY_WORDS = Set.of("select", "with", "show", "describe", "desc", "values",
            "from", "table", "explain", "list");
    private static final Set<String> TRANSACTION_WORDS = Set.of("begin", "commit", "rollback", "start", "abort", "end");

    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private SqlScript() {
    }

    /** The non-blank statements of {@code script}, without their terminating semicolons. */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(script, i, c);
                current.append(script, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                end = end < 0 ? n : end;
                current.append(script, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                current.append(script, i, end);
                i = end;
            } else if (c == ';') {
                add(statements, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    /** Whether {@code statement} returns rows (a query) rather than changing something (a command). */
    static boolean isQuery(String statement) {
        return QUERY_WORDS.contains(firstWord(statement));
    }

    /** Whether {@code statement} only opens or ends a transaction, which on Spark does nothing. */
    static boolean isTransactionControl(String statement) {
        return TRANSACTION_WORDS.contains(firstWord(statement));
    }

    /**
     * The parenthesised tuple of an {@code INSERT … VALUES (…)} that ends with that one tuple, so a batch
     * can repeat it; {@code null} for any other statement.
     */
    static String singleValuesTuple(String statement) {
        int open = singleValuesTupleStart(statement);
        return open < 0 ? null : statement.strip().substring(open);
    }

    /**
     * The rows of a batch of a single-row {@code INSERT … VALUES (?, …)} as one statement with literal
     * values, {@code VALUES (…), (…)}: one Iceberg commit for the batch. Literals, not parameters:
     * Spark types a multi-row inline table while parsing, before parameters have types.
     * {@code null} for any other statement.
     */
    static String batchInsert(String statement, List<List<Object>> rows) {
        String text = statement.strip();
        int open = singleValuesTupleStart(text);
        if (open < 0) {
            return null;
        }
        String tuple = text.substring(open);
        StringJoiner all = new StringJoiner(", ");
        for (List<Object> row : rows) {
            StringBuilder filled = new StringBuilder();
            int next = 0;
            for (int i = 0; i < tuple.length(); i++) {
                char c = tuple.charAt(i);
                if (c == '\'' || c == '"' || c == '`') {
                    int end = closing(tuple, i, c);
                    filled.append(tuple, i, end);
                    i = end - 1;
                } else if (c == '?') {
                    if (next >= row.size()) {
                        return null;
                    }
                    filled.append(literal(row.get(next++)));
                } else {
                    filled.append(c);
                }
            }
            all.add(filled);
        }
        return text.substring(0, open) + all;
    }

    /**
     * {@code statement} with each {@code ?} marker outside quotes and comments replaced by the literal
     * of the next argument. Spark's own positional parameters misplace values in an
     * {@code INSERT … VALUES} that mixes markers and literals (4.1.3), so the adapter renders them.
     *
     * @throws IllegalArgumentException when the markers and arguments do not match in number
     */
    static String bind(String statement, Object[] arguments) {
        StringBuilder bound = new StringBuilder();
        int next = 0;
        int n = statement.length();
        for (int i = 0; i < n; i++) {
            char c = statement.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(statement, i, c);
                bound.append(statement, i, end);
                i = end - 1;
            } else if (c == '-' && i + 1 < n && statement.charAt(i + 1) == '-') {
                int end = statement.indexOf('\n', i);
                end = end < 0 ? n : end;
                bound.append(statement, i, end);
                i = end - 1;
            } else if (c == '/' && i + 1 < n && statement.charAt(i + 1) == '*') {
                int end = statement.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                bound.append(statement, i, end);
                i = end - 1;
            } else if (c == '?') {
                if (next >= arguments.length) {
                    throw new IllegalArgumentException("more ? markers than the " + arguments.length + " parameters set");
                }
                bound.append(literal(arguments[next++]));
            } else {
                bound.append(c);
            }
        }
        if (next != arguments.length) {
            throw new IllegalArgumentException(arguments.length + " parameters set for " + next + " ? markers");
        }
        return bound.toString();
    }

    /** A Java value as a Spark SQL literal. */
    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? "CAST(" + d + " AS DOUBLE)" : "CAST('" + d + "' AS DOUBLE)";
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.toPlainString() + "BD";
        }
        if (value instanceof Number number) {
            return number + (value instanceof Long ? "L" : "");
        }
        if (value instanceof java.time.LocalDateTime local) {
            return "TIMESTAMP'" + TIMESTAMP.format(local) + "'";
        }
        if (value instanceof java.time.LocalDate date) {
            return "DATE'" + date + "'";
        }
        if (value instanceof java.time.Instant instant) {
            return "TIMESTAMP'" + TIMESTAMP.format(java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC)) + "'";
        }
        return "'" + value.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static int singleValuesTupleStart(String statement) {
        String text = statement.strip();
        if (!firstWord(text).equals("insert") || !text.endsWith(")")) {
            return -1;
        }
        java.util.regex.Matcher values = java.util.regex.Pattern.compile("(?i)\\bVALUES\\s*\\(").matcher(text);
        int open = -1;
        while (values.find()) {
            open = values.end() - 1;
        }
        if (open < 0) {
            return -1;
        }
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(text, i, c) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i == text.length() - 1 ? open : -1;
            }
        }
        return -1;
    }

    static String firstWord(String statement) {
        int i = 0;
        int n = statement.length();
        while (i < n) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (statement.startsWith("--", i)) {
                int end = statement.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (statement.startsWith("/*", i)) {
                int end = statement.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(statement.charAt(i))) {
            i++;
        }
        return statement.substring(start, i).toLowerCase(Locale.ROOT);
    }

    private static int closing(String script, int open, char quote) {
        int i = open + 1;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return script.length();
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty() && !firstWord(statement).isEmpty()) {
            statements.add(statement);
        }
    }
}
