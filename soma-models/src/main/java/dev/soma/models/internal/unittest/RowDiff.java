package dev.soma.models.internal.unittest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows where a unit test's output and its expectation differ, as a small table: {@code -} for an
 * expected row the model did not return, {@code +} for a returned row nobody expected. A changed value
 * shows as a {@code -} row over a {@code +} row. Immutable.
 *
 * @param columns  the columns compared
 * @param missing  expected rows not returned (values as text, {@code null} for NULL)
 * @param extra    returned rows not expected
 * @param expected how many rows were expected
 * @param returned how many rows the model returned
 */
record RowDiff(List<String> columns, List<List<String>> missing, List<List<String>> extra, long expected, long returned) {

    /** At most this many rows of each kind are shown. */
    static final int SHOWN = 20;

    boolean isEmpty() {
        return missing.isEmpty() && extra.isEmpty();
    }

    /** The differing rows, {@code -} and {@code +} of one key together, as maps with the marker under {@code diff}. */
    List<Map<String, Object>> rows() {
        List<Marked> marked = new ArrayList<>();
        missing.forEach(row -> marked.add(new Marked("-", row)));
        extra.forEach(row -> marked.add(new Marked("+", row)));
        marked.sort(Comparator.<Marked, String>comparing(m -> String.join("\u0001", nonNull(m.values())))
                .thenComparing(Marked::marker));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Marked m : marked) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("diff", m.marker());
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), m.values().get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private record Marked(String marker, List<String> values) {
    }

    private static List<String> nonNull(List<String> values) {
        return values.stream().map(v -> v == null ? "" : v).toList();
    }

    /** The message of a failed unit test: what differs, then the table. */
    String describe() {
        StringBuilder text = new StringBuilder("actual differs from expected: ");
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add(missing.size() + (missing.size() == 1 ? " expected row missing" : " expected rows missing"));
        }
        if (!extra.isEmpty()) {
            parts.add(extra.size() + (extra.size() == 1 ? " row not expected" : " rows not expected"));
        }
        text.append(String.join(", ", parts)).append(" (").append(expected).append(" expected, ").append(returned)
                .append(" returned)\n");
        List<Map<String, Object>> rows = rows();
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add(" ");
        header.addAll(columns);
        cells.add(header);
        int shownMissing = 0;
        int shownExtra = 0;
        for (Map<String, Object> row : rows) {
            boolean minus = "-".equals(row.get("diff"));
            if (minus ? shownMissing++ >= SHOWN : shownExtra++ >= SHOWN) {
                continue;
            }
            List<String> line = new ArrayList<>();
            line.add(String.valueOf(row.get("diff")));
            for (String column : columns) {
                Object value = row.get(column);
                line.add(value == null ? "null" : String.valueOf(value));
            }
            cells.add(line);
        }
        int[] widths = new int[header.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : cells) {
            text.append("  ");
            for (int i = 0; i < line.size(); i++) {
                if (i > 0) {
                    text.append(" | ");
                }
                text.append(i == line.size() - 1 ? line.get(i) : pad(line.get(i), widths[i]));
            }
            text.append('\n');
        }
        if (shownMissing > SHOWN || shownExtra > SHOWN) {
            text.append("  (the first ").append(SHOWN).append(" of each kind shown)\n");
        }
        text.append("  - expected, not returned   + returned, not expected");
        return text.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
