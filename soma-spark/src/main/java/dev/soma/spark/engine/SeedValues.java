package dev.soma.spark.engine;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A seed (a small CSV file with a header) as one Spark query of inline rows:
 * {@code SELECT CAST(col1 AS T) AS name1, … FROM VALUES (…), (…) AS seed(col1, …)}. Spark has no
 * table function reading a CSV file with a header, and a query is what the seam asks for; seeds are
 * small by definition. Columns typed in the seed's config get that type; others are inferred as DuckDB
 * does for the common cases (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, else STRING); empty fields are NULL.
 */
final class SeedValues {

    private SeedValues() {
    }

    static String query(String path, Map<String, String> types, SparkDialect dialect) {
        List<List<String>> records;
        try {
            records = parse(Files.readString(Path.of(path), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SomaException(ErrorCode.FILE_ACCESS, "cannot read seed " + path + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "seed " + path + " has no header row");
        }
        List<String> header = records.get(0);
        List<List<String>> rows = records.subList(1, records.size());
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        StringJoiner aliases = new StringJoiner(", ");
        for (int c = 0; c < header.size(); c++) {
            String column = header.get(c);
            String type = types == null ? null : types.get(column);
            if (type == null) {
                type = infer(rows, c);
            }
            select.add("CAST(c" + c + " AS " + type + ") AS " + dialect.quote(column));
            aliases.add("c" + c);
        }
        if (rows.isEmpty()) {
            StringJoiner nulls = new StringJoiner(", ", "(", ")");
            header.forEach(h -> nulls.add("CAST(NULL AS STRING)"));
            return select + " FROM VALUES " + nulls + " AS seed(" + aliases + ") WHERE false";
        }
        StringJoiner values = new StringJoiner(",\n  ");
        for (List<String> row : rows) {
            StringJoiner tuple = new StringJoiner(", ", "(", ")");
            for (int c = 0; c < header.size(); c++) {
                String value = c < row.size() ? row.get(c) : "";
                tuple.add(value.isEmpty() ? "CAST(NULL AS STRING)" : dialect.literal(value));
            }
            values.add(tuple.toString());
        }
        return select + " FROM VALUES\n  " + values + "\nAS seed(" + aliases + ")";
    }

    private static String infer(List<List<String>> rows, int column) {
        String[] candidates = {"BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"};
        for (String type : candidates) {
            boolean all = true;
            boolean any = false;
            for (List<String> row : rows) {
                String value = column < row.size() ? row.get(column).strip() : "";
                if (value.isEmpty()) {
                    continue;
                }
                any = true;
                if (!fits(type, value)) {
                    all = false;
                    break;
                }
            }
            if (all && any) {
                return type;
            }
        }
        return "STRING";
    }

    private static boolean fits(String type, String value) {
        return switch (type) {
            case "BIGINT" -> value.matches("[-+]?\\d{1,18}");
            case "DOUBLE" -> value.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
            case "BOOLEAN" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            case "DATE" -> value.matches("\\d{4}-\\d{2}-\\d{2}");
            case "TIMESTAMP" -> value.matches("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");
            default -> false;
        };
    }

    /** RFC 4180: commas, double quotes doubled inside quoted fields, CRLF or LF line ends. */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    record.add(field.toString());
                    records.add(record);
                }
                record = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
