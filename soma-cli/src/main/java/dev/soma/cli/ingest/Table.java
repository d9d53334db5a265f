package dev.soma.cli.ingest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table; the first row is the header; numbers (cells starting with a digit) align right. */
final class Table {

    private final List<List<String>> rows = new ArrayList<>();

    Table row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = rows.get(r).get(c);
                boolean number = r > 0 && !cell.isEmpty() && Character.isDigit(cell.charAt(0));
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(number ? pad + cell : cell + pad);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
