package dev.soma.spark.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a script into statements and tells queries from commands. Spark's {@code sql()} takes one
 * statement at a time; semicolons inside quotes, backticks and comments do not split.
 */
final class SqlScript {

    private static final Set<String> QUERY_WORDS = Set.of("select", "with", "show", "describe", "desc", "values",
            "from", "table", "explain", "list");
    private static final Set<String> TRANSACTION_WORDS = Set.of("begin", "commit", "rollback", "start", "abort", "end");

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
