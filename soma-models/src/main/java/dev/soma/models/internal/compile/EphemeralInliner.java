package dev.soma.models.internal.compile;

import java.util.Locale;
import java.util.Map;

/**
 * Inlines ephemeral models as CTEs at the front of a query, merging with the query's own
 * {@code WITH} clause when it has one (DuckDB does not accept two WITH clauses in a row).
 */
final class EphemeralInliner {

    private static final String PREFIX = "__soma_ephemeral_";

    private EphemeralInliner() {
    }

    /** The CTE's name: bare when the model's name is a plain word, which reads the same on every engine. */
    static String cteName(String model) {
        if (model.matches("[A-Za-z0-9_]+")) {
            return PREFIX + model;
        }
        return '"' + PREFIX + model.replace("\"", "\"\"") + '"';
    }

    /** {@code sql} with {@code ctes} (CTE name to compiled SQL, dependencies first) in front. */
    static String inline(String sql, Map<String, String> ctes) {
        if (ctes.isEmpty()) {
            return sql;
        }
        StringBuilder definitions = new StringBuilder();
        for (Map.Entry<String, String> cte : ctes.entrySet()) {
            if (!definitions.isEmpty()) {
                definitions.append(",\n");
            }
            definitions.append(cteName(cte.getKey())).append(" AS (\n").append(cte.getValue()).append("\n)");
        }
        int start = firstToken(sql);
        String rest = sql.substring(start);
        String lower = rest.toLowerCase(Locale.ROOT);
        if (startsWithWord(lower, "with")) {
            int after = 4;
            String remaining = lower.substring(after).stripLeading();
            if (startsWithWord(remaining, "recursive")) {
                after = lower.indexOf("recursive", after) + "recursive".length();
                return sql.substring(0, start) + rest.substring(0, after) + "\n" + definitions + ",\n"
                        + rest.substring(after).stripLeading();
            }
            return sql.substring(0, start) + "WITH " + definitions + ",\n" + rest.substring(after).stripLeading();
        }
        return "WITH " + definitions + "\n" + sql;
    }

    private static boolean startsWithWord(String text, String word) {
        return text.startsWith(word) && (text.length() == word.length() || !Character.isLetterOrDigit(text.charAt(word.length()))
                && text.charAt(word.length()) != '_');
    }

    /** Offset of the first character that is not whitespace or inside a SQL comment. */
    static int firstToken(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? sql.length() : newline + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }
}
