package dev.soma.models.internal.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column types in one normal form, DuckDB's own names, so a contract's {@code int} and a query's
 * {@code INTEGER} compare equal: aliases ({@code int}/{@code integer}/{@code int4}, {@code text}/
 * {@code string}/{@code varchar(n)}, {@code numeric(p,s)}, {@code timestamptz}, {@code float8}, …) map
 * to one name; {@code decimal}/{@code numeric} without precision is DuckDB's default
 * {@code DECIMAL(18,3)}; lists ({@code int[]}), structs and maps are normalised inside. A name it does
 * not know does not parse. Stateless and thread-safe.
 */
public final class DataTypes {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("INTEGER", "INTEGER"), Map.entry("INT", "INTEGER"), Map.entry("INT4", "INTEGER"),
            Map.entry("SIGNED", "INTEGER"), Map.entry("INT32", "INTEGER"),
            Map.entry("BIGINT", "BIGINT"), Map.entry("INT8", "BIGINT"), Map.entry("LONG", "BIGINT"), Map.entry("INT64", "BIGINT"),
            Map.entry("SMALLINT", "SMALLINT"), Map.entry("INT2", "SMALLINT"), Map.entry("SHORT", "SMALLINT"),
            Map.entry("INT16", "SMALLINT"),
            Map.entry("TINYINT", "TINYINT"), Map.entry("INT1", "TINYINT"),
            Map.entry("HUGEINT", "HUGEINT"), Map.entry("INT128", "HUGEINT"), Map.entry("UHUGEINT", "UHUGEINT"),
            Map.entry("UBIGINT", "UBIGINT"), Map.entry("UINTEGER", "UINTEGER"), Map.entry("USMALLINT", "USMALLINT"),
            Map.entry("UTINYINT", "UTINYINT"),
            Map.entry("DOUBLE", "DOUBLE"), Map.entry("FLOAT8", "DOUBLE"), Map.entry("DOUBLE PRECISION", "DOUBLE"),
            Map.entry("FLOAT", "FLOAT"), Map.entry("FLOAT4", "FLOAT"), Map.entry("REAL", "FLOAT"),
            Map.entry("VARCHAR", "VARCHAR"), Map.entry("TEXT", "VARCHAR"), Map.entry("STRING", "VARCHAR"),
            Map.entry("CHAR", "VARCHAR"), Map.entry("BPCHAR", "VARCHAR"), Map.entry("NVARCHAR", "VARCHAR"),
            Map.entry("CHARACTER VARYING", "VARCHAR"), Map.entry("CHARACTER", "VARCHAR"),
            Map.entry("BOOLEAN", "BOOLEAN"), Map.entry("BOOL", "BOOLEAN"), Map.entry("LOGICAL", "BOOLEAN"),
            Map.entry("DATE", "DATE"), Map.entry("TIME", "TIME"), Map.entry("TIMETZ", "TIME WITH TIME ZONE"),
            Map.entry("TIME WITH TIME ZONE", "TIME WITH TIME ZONE"),
            Map.entry("TIMESTAMP", "TIMESTAMP"), Map.entry("DATETIME", "TIMESTAMP"),
            Map.entry("TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP"),
            Map.entry("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"), Map.entry("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"),
            Map.entry("TIMESTAMP_S", "TIMESTAMP_S"), Map.entry("TIMESTAMP_MS", "TIMESTAMP_MS"),
            Map.entry("TIMESTAMP_NS", "TIMESTAMP_NS"), Map.entry("TIMESTAMP_US", "TIMESTAMP"),
            Map.entry("TIMESTAMP_NTZ", "TIMESTAMP"), Map.entry("TIMESTAMP_LTZ", "TIMESTAMP WITH TIME ZONE"),
            Map.entry("INTERVAL", "INTERVAL"), Map.entry("UUID", "UUID"), Map.entry("JSON", "JSON"),
            Map.entry("BLOB", "BLOB"), Map.entry("BYTEA", "BLOB"), Map.entry("BINARY", "BLOB"), Map.entry("VARBINARY", "BLOB"),
            Map.entry("BIT", "BIT"), Map.entry("BITSTRING", "BIT"));

    private static final Pattern DECIMAL = Pattern.compile("(DECIMAL|NUMERIC|DEC)\\s*(\\(\\s*(\\d+)\\s*(,\\s*(\\d+)\\s*)?\\))?");
    private static final Pattern SIZED = Pattern.compile("([A-Z ]+?)\\s*\\(\\s*\\d+\\s*\\)");

    private DataTypes() {
    }

    /** The normal form of {@code type}, or empty when it does not parse. */
    public static Optional<String> normalise(String type) {
        if (type == null || type.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(normal(type.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT)));
    }

    private static String normal(String type) {
        if (type.endsWith("[]")) {
            String element = normal(type.substring(0, type.length() - 2).strip());
            return element == null ? null : element + "[]";
        }
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            if (decimal.group(2) == null) {
                return "DECIMAL(18,3)";
            }
            int precision = Integer.parseInt(decimal.group(3));
            int scale = decimal.group(5) == null ? 0 : Integer.parseInt(decimal.group(5));
            return precision >= 1 && precision <= 38 && scale <= precision ? "DECIMAL(" + precision + "," + scale + ")" : null;
        }
        Matcher sized = SIZED.matcher(type);
        if (sized.matches() && "VARCHAR".equals(ALIASES.get(sized.group(1).strip()))) {
            return "VARCHAR"; // DuckDB keeps no length
        }
        if (type.startsWith("STRUCT(") && type.endsWith(")")) {
            List<String> fields = new ArrayList<>();
            for (String field : split(type.substring(7, type.length() - 1))) {
                int space = field.indexOf(' ');
                String fieldType = space < 0 ? null : normal(field.substring(space + 1).strip());
                if (fieldType == null) {
                    return null;
                }
                fields.add(field.substring(0, space).replace("\"", "").toLowerCase(Locale.ROOT) + " " + fieldType);
            }
            return "STRUCT(" + String.join(", ", fields) + ")";
        }
        if ((type.startsWith("MAP(") || type.startsWith("LIST(")) && type.endsWith(")")) {
            List<String> parts = new ArrayList<>();
            for (String part : split(type.substring(type.indexOf('(') + 1, type.length() - 1))) {
                String normal = normal(part.strip());
                if (normal == null) {
                    return null;
                }
                parts.add(normal);
            }
            return type.startsWith("LIST(") ? (parts.size() == 1 ? parts.get(0) + "[]" : null)
                    : "MAP(" + String.join(", ", parts) + ")";
        }
        return ALIASES.get(type);
    }

    /** Splits on the commas outside parentheses. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).strip());
        return parts;
    }
}
