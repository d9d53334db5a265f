package dev.soma.cli.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table for job listings: a header, then rows; cells cut at 48 characters. */
final class Table {

    private static final int MAX_CELL = 48;

    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(List.of(header));
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "" : cell.toString());
        }
        rows.add(row);
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], cell(row.get(c)).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String text = cell(rows.get(r).get(c));
                line.append(c > 0 ? "  " : "").append(text).append(" ".repeat(widths[c] - text.length()));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String cell(String value) {
        String flat = value.replace('\n', ' ').replace('\t', ' ');
        return flat.length() > MAX_CELL ? flat.substring(0, MAX_CELL - 3) + "..." : flat;
    }
}
