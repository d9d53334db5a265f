package dev.soma.models.internal.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a windowed model's query, rendered for a span of windows, uses the span only to filter its
 * rows on {@code event_time}: then its rows in each window of the span are exactly the rows the query
 * rendered for that one window gives, and the span can be loaded in one statement.
 *
 * <p>Conservative by construction: a yes needs the shape {@code SELECT <items> FROM <one relation>
 * WHERE … AND et >= <start> AND … AND et < <end> …} (either order, {@code <=}/{@code >} mirrored),
 * where {@code et} is the event-time column and the output keeps it unchanged ({@code *} or the
 * plain column), the span's bounds appear nowhere else, the {@code WHERE} has no {@code OR} at its top
 * level, and nothing that makes one window's rows depend on another's: no aggregate ({@code GROUP BY},
 * or a select list of only aggregates, which needs neither {@code *} nor the plain column), no window
 * function, {@code DISTINCT}, {@code LIMIT}, join, set operation, subquery or CTE. Anything it cannot
 * read is a no, and the windows are loaded one by one as before.
 */
final class RowFilterQuery {

    private static final String START = "soma_span_start_9f1c";
    private static final String END = "soma_span_end_9f1c";
    private static final Set<String> REFUSED = Set.of("group", "having", "limit", "offset", "fetch", "top", "distinct",
            "over", "qualify", "window", "union", "except", "intersect", "minus", "join", "using", "natural", "lateral",
            "pivot", "unpivot", "sample", "tablesample", "with", "recursive", "values", "columns", "into", "asof",
            "positional", "semi", "anti", "unnest");

    private RowFilterQuery() {
    }

    /**
     * @param sql         the query rendered for the span
     * @param eventTime   the event-time column
     * @param startLiteral the span's start as rendered ({@code TIMESTAMP '…'})
     * @param endLiteral  the span's end as rendered
     */
    static boolean filtersOnly(String sql, String eventTime, String startLiteral, String endLiteral) {
        if (occurrences(sql, startLiteral) != 1 || occurrences(sql, endLiteral) != 1) {
            return false;
        }
        List<String> tokens = tokens(sql.replace(startLiteral, " " + START + " ").replace(endLiteral, " " + END + " "));
        if (tokens == null || tokens.isEmpty()) {
            return false;
        }
        int from = -1;
        int where = -1;
        int order = tokens.size();
        int depth = 0;
        int selects = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String word = token.toLowerCase(Locale.ROOT);
            if (token.equals("(")) {
                depth++;
            } else if (token.equals(")")) {
                depth--;
            } else if (token.equals(";")) {
                return false;
            } else if (REFUSED.contains(word)) {
                return false;
            } else if (word.equals("select")) {
                selects++;
            } else if (depth == 0 && word.equals("from") && from < 0) {
                from = i;
            } else if (depth == 0 && word.equals("where") && where < 0) {
                where = i;
            } else if (depth == 0 && word.equals("order") && where > 0 && order == tokens.size()) {
                order = i;
            } else if (word.equals("from") || word.equals("where")) {
                return false;
            }
        }
        if (selects != 1 || !tokens.get(0).equalsIgnoreCase("select") || from < 0 || where < from + 2 || depth != 0) {
            return false;
        }
        for (int i = from + 1; i < where; i++) {
            if (tokens.get(i).equals(",")) {
                return false; // FROM a, b: a join
            }
        }
        return keepsEventTime(tokens.subList(1, from), eventTime) && boundsFilter(tokens.subList(where + 1, order), eventTime);
    }

    /** The select list holds {@code *} or the plain event-time column, and no other item names it. */
    private static boolean keepsEventTime(List<String> items, String eventTime) {
        boolean kept = false;
        for (List<String> item : split(items, ",")) {
            boolean star = item.size() == 1 && item.get(0).equals("*")
                    || item.size() == 3 && item.get(1).equals(".") && item.get(2).equals("*");
            boolean plain = isColumn(item, eventTime) || item.size() >= 2 && isColumn(item.subList(0, item.size() - (
                    item.get(item.size() - 2).equalsIgnoreCase("as") ? 2 : 1)), eventTime) && sameName(item.get(item.size() - 1), eventTime);
            if (star || plain) {
                kept = true;
            } else if (item.stream().anyMatch(token -> sameName(token, eventTime))) {
                return false;
            }
        }
        return kept;
    }

    /** Top-level conjuncts, among them exactly {@code et >= START} and {@code et < END}. */
    private static boolean boundsFilter(List<String> where, String eventTime) {
        int depth = 0;
        for (String token : where) {
            depth += token.equals("(") ? 1 : token.equals(")") ? -1 : 0;
            if (depth == 0 && token.equalsIgnoreCase("or")) {
                return false;
            }
        }
        boolean start = false;
        boolean end = false;
        for (List<String> conjunct : conjuncts(where)) {
            int s = conjunct.indexOf(START);
            int e = conjunct.indexOf(END);
            if (s >= 0 || e >= 0) {
                boolean isStart = s >= 0 && e < 0 && bound(conjunct, START, ">=", "<=", eventTime);
                boolean isEnd = e >= 0 && s < 0 && bound(conjunct, END, "<", ">", eventTime);
                if (!isStart && !isEnd) {
                    return false;
                }
                start |= isStart;
                end |= isEnd;
            }
        }
        return start && end;
    }

    /** {@code et OP bound} or {@code bound MIRROR et}, nothing else in the conjunct. */
    private static boolean bound(List<String> conjunct, String bound, String op, String mirror, String eventTime) {
        int at = conjunct.indexOf(bound);
        if (at == conjunct.size() - 1 && at >= 2 && conjunct.get(at - 1).equals(op)) {
            return isColumn(conjunct.subList(0, at - 1), eventTime);
        }
        if (at == 0 && conjunct.size() >= 3 && conjunct.get(1).equals(mirror)) {
            return isColumn(conjunct.subList(2, conjunct.size()), eventTime);
        }
        return false;
    }

    /** {@code et} or {@code alias.et}, quoted or not. */
    private static boolean isColumn(List<String> tokens, String eventTime) {
        return tokens.size() == 1 && sameName(tokens.get(0), eventTime)
                || tokens.size() == 3 && isName(tokens.get(0)) && tokens.get(1).equals(".") && sameName(tokens.get(2), eventTime);
    }

    private static boolean isName(String token) {
        char c = token.charAt(0);
        return Character.isLetter(c) || c == '_' || c == '"' || c == '`';
    }

    private static boolean sameName(String token, String eventTime) {
        String name = token.length() >= 2 && (token.charAt(0) == '"' || token.charAt(0) == '`') ? token.substring(1, token.length() - 1)
                : token;
        return name.equalsIgnoreCase(eventTime);
    }

    /** Splits at top-level ANDs, keeping the AND of a BETWEEN with its conjunct. */
    private static List<List<String>> conjuncts(List<String> where) {
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int depth = 0;
        boolean between = false;
        for (String token : where) {
            depth += token.equals("(") ? 1 : token.equals(")") ? -1 : 0;
            if (depth == 0 && token.equalsIgnoreCase("between")) {
                between = true;
            }
            if (depth == 0 && token.equalsIgnoreCase("and")) {
                if (between) {
                    between = false;
                } else {
                    parts.add(current);
                    current = new ArrayList<>();
                    continue;
                }
            }
            current.add(token);
        }
        parts.add(current);
        return parts;
    }

    private static List<List<String>> split(List<String> tokens, String separator) {
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int depth = 0;
        for (String token : tokens) {
            depth += token.equals("(") ? 1 : token.equals(")") ? -1 : 0;
            if (depth == 0 && token.equals(separator)) {
                parts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        parts.add(current);
        return parts;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /**
     * Words, quoted names, string literals (each one token), numbers and operators; comments dropped.
     * {@code null} when the text cannot be read surely (an unclosed quote or comment, a backslash in quotes).
     */
    static List<String> tokens(String sql) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                if (close < 0) {
                    return null;
                }
                i = close + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        return null;
                    }
                    if (sql.charAt(j) == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    if (sql.charAt(j) == '\\') {
                        return null; // engines differ on whether a backslash escapes the quote after it
                    }
                    j++;
                }
                tokens.add(sql.substring(i, j + 1));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                tokens.add(sql.substring(i, j));
                i = j;
            } else if ((c == '>' || c == '<' || c == '!' || c == '=') && i + 1 < n && (sql.charAt(i + 1) == '='
                    || c == '<' && sql.charAt(i + 1) == '>')) {
                tokens.add(sql.substring(i, i + 2));
                i += 2;
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }
}
