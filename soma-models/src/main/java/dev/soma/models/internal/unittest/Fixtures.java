package dev.soma.models.internal.unittest;

import dev.soma.core.warehouse.Identifiers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Given rows as SQL: typed literals for {@code INSERT}, and a guess at a column's type from its values
 * when nothing in the project declares it. Stateless.
 */
final class Fixtures {

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d*|-?\\d*\\.\\d+|-?\\d+(\\.\\d*)?[eE][-+]?\\d+");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");

    private Fixtures() {
    }

    /** The columns the rows name, in the order first seen. */
    static List<String> columnsOf(List<Map<String, Object>> rows) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            for (String column : row.keySet()) {
                seen.putIfAbsent(column.toLowerCase(Locale.ROOT), column);
            }
        }
        return new ArrayList<>(seen.values());
    }

    /** The value of {@code column} in {@code row}, the column's case ignored; {@code null} when absent. */
    static Object value(Map<String, Object> row, String column) {
        if (row.containsKey(column)) {
            return row.get(column);
        }
        for (Map.Entry<String, Object> entry : row.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(column)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * The type the values of {@code column} suggest: BOOLEAN, BIGINT, DOUBLE, DATE, TIMESTAMP, else VARCHAR.
     *
     * @param fromText read types from text too, as DuckDB's CSV reader does (CSV rows); otherwise text is
     *                 VARCHAR and only YAML's own numbers and booleans say more (dict rows)
     */
    static String guessType(List<Map<String, Object>> rows, String column, boolean fromText) {
        String guess = null;
        for (Map<String, Object> row : rows) {
            Object value = value(row, column);
            if (value == null) {
                continue;
            }
            String type = !fromText && value instanceof String ? "VARCHAR" : typeOf(value);
            if (guess == null || guess.equals(type)) {
                guess = type;
            } else if (isNumber(guess) && isNumber(type)) {
                guess = "DOUBLE";
            } else if (isTime(guess) && isTime(type)) {
                guess = "TIMESTAMP";
            } else {
                return "VARCHAR";
            }
        }
        return guess == null ? "VARCHAR" : guess;
    }

    private static boolean isNumber(String type) {
        return type.equals("BIGINT") || type.equals("DOUBLE");
    }

    private static boolean isTime(String type) {
        return type.equals("DATE") || type.equals("TIMESTAMP");
    }

    private static String typeOf(Object value) {
        if (value instanceof Boolean) {
            return "BOOLEAN";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return "BIGINT";
        }
        if (value instanceof Number) {
            return "DOUBLE";
        }
        String text = String.valueOf(value).strip();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return "BOOLEAN";
        }
        if (INTEGER.matcher(text).matches()) {
            return "BIGINT";
        }
        if (DECIMAL.matcher(text).matches()) {
            return "DOUBLE";
        }
        if (DATE.matcher(text).matches()) {
            return "DATE";
        }
        if (TIMESTAMP.matcher(text).matches()) {
            return "TIMESTAMP";
        }
        return "VARCHAR";
    }

    /** {@code value} as a SQL literal of {@code type}: {@code CAST('2024-01-01' AS DATE)}, {@code NULL}. */
    static String literal(Object value, String type) {
        if (value == null) {
            return "CAST(NULL AS " + type + ")";
        }
        String text;
        if (value instanceof Boolean flag) {
            text = flag ? "TRUE" : "FALSE";
        } else if (value instanceof BigDecimal decimal) {
            text = decimal.toPlainString();
        } else if (value instanceof Number number) {
            text = number.toString();
        } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
            text = Identifiers.literal(json(value));
        } else {
            text = Identifiers.literal(String.valueOf(value));
        }
        return "CAST(" + text + " AS " + type + ")";
    }

    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** {@code INSERT INTO table (columns) VALUES …} for {@code rows}; a column a row leaves out is NULL. */
    static String insert(String table, List<Column> columns, List<Map<String, Object>> rows) {
        StringJoiner names = new StringJoiner(", ", "(", ")");
        columns.forEach(c -> names.add(Identifiers.quote(c.name())));
        StringJoiner values = new StringJoiner(",\n");
        for (Map<String, Object> row : rows) {
            StringJoiner tuple = new StringJoiner(", ", "(", ")");
            for (Column column : columns) {
                tuple.add(literal(value(row, column.name()), column.type()));
            }
            values.add(tuple.toString());
        }
        return "INSERT INTO " + table + " " + names + " VALUES\n" + values;
    }

    /** {@code CREATE TABLE table (…)} with these columns. */
    static String create(String table, List<Column> columns) {
        StringJoiner definitions = new StringJoiner(", ", "(", ")");
        columns.forEach(c -> definitions.add(Identifiers.quote(c.name()) + " " + c.type()));
        return "CREATE TABLE " + table + " " + definitions;
    }
}
