package dev.soma.cli.project;

import java.io.PrintWriter;
import java.util.List;

/** A plain text table: the first row is the header; cells are cut at 40 characters. */
final class TextTable {

    private static final int MAX_CELL = 40;

    private final List<List<String>> rows;

    TextTable(List<List<String>> rows) {
        this.rows = rows;
    }

    void print(PrintWriter out) {
        if (rows.isEmpty()) {
            return;
        }
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
                if (c > 0) {
                    line.append(" | ");
                }
                String text = cell(rows.get(r).get(c));
                line.append(text).append(" ".repeat(widths[c] - text.length()));
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int c = 0; c < columns; c++) {
                    rule.append(c > 0 ? "-+-" : "").append("-".repeat(widths[c]));
                }
                out.println(rule);
            }
        }
    }

    private static String cell(String value) {
        String flat = value.replace('\n', ' ').replace('\t', ' ');
        return flat.length() > MAX_CELL ? flat.substring(0, MAX_CELL - 3) + "..." : flat;
    }
}
