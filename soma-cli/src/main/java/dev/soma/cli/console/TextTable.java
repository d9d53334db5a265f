package dev.soma.cli.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one plain-text table of the CLI: a header row, then rows; columns as wide as their widest cell;
 * line breaks and tabs inside a cell become spaces; trailing blanks are trimmed. Two looks:
 * <ul>
 *   <li>{@link #plain} — columns two spaces apart ({@code soma jobs}, {@code soma loads}, {@code soma windows});</li>
 *   <li>{@link #ruled} — columns split by {@code " | "} and a {@code -+-} rule under the header
 *       ({@code soma show}, {@code soma runs}, sample failing rows).</li>
 * </ul>
 * {@link #cutAt} shortens long cells with {@code ...}; {@link #numbersRight} aligns the cells that start
 * with a digit to the right.
 *
 * <pre>{@code
 * TextTable table = TextTable.plain("id", "state").cutAt(48);
 * table.row(1, "pending");
 * table.print(out);
 * }</pre>
 *
 * <p>Not thread-safe: build and print it on one thread.
 */
public final class TextTable {

    private final String separator;
    private final String ruleSeparator;
    private final List<List<String>> rows = new ArrayList<>();
    private int maxCell = Integer.MAX_VALUE;
    private boolean numbersRight;

    private TextTable(String separator, String ruleSeparator, List<?> header) {
        this.separator = separator;
        this.ruleSeparator = ruleSeparator;
        row(header);
    }

    /** A table whose columns stand two spaces apart. */
    public static TextTable plain(String... header) {
        return plain(Arrays.asList(header));
    }

    /** A table whose columns stand two spaces apart. */
    public static TextTable plain(List<String> header) {
        return new TextTable("  ", null, header);
    }

    /** A table whose columns are split by {@code " | "}, with a rule under the header. */
    public static TextTable ruled(String... header) {
        return ruled(Arrays.asList(header));
    }

    /** A table whose columns are split by {@code " | "}, with a rule under the header. */
    public static TextTable ruled(List<String> header) {
        return new TextTable(" | ", "-+-", header);
    }

    /** Cells longer than {@code width} are cut to it, ending in {@code ...}. */
    public TextTable cutAt(int width) {
        if (width < 4) {
            throw new IllegalArgumentException("a cell must be at least 4 wide, got " + width);
        }
        this.maxCell = width;
        return this;
    }

    /** Cells (below the header) that start with a digit are aligned to the right. */
    public TextTable numbersRight() {
        this.numbersRight = true;
        return this;
    }

    /** Adds a row; {@code null} prints as an empty cell. */
    public TextTable row(Object... cells) {
        return row(Arrays.asList(cells));
    }

    /** Adds a row; {@code null} prints as an empty cell. */
    public TextTable row(List<?> cells) {
        List<String> row = new ArrayList<>(cells.size());
        for (Object cell : cells) {
            row.add(cell == null ? "" : cell.toString().replace('\n', ' ').replace('\t', ' '));
        }
        rows.add(row);
        return this;
    }

    /** The rows below the header. */
    public int size() {
        return rows.size() - 1;
    }

    /** Prints the header and the rows, then flushes. */
    public void print(PrintWriter out) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], cut(row.get(c)).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String text = cut(rows.get(r).get(c));
                String pad = " ".repeat(widths[c] - text.length());
                boolean right = numbersRight && r > 0 && !text.isEmpty() && Character.isDigit(text.charAt(0));
                line.append(c == 0 ? "" : separator).append(right ? pad + text : text + pad);
            }
            out.println(line.toString().stripTrailing());
            if (r == 0 && ruleSeparator != null) {
                StringBuilder rule = new StringBuilder();
                for (int c = 0; c < columns; c++) {
                    rule.append(c == 0 ? "" : ruleSeparator).append("-".repeat(widths[c]));
                }
                out.println(rule);
            }
        }
        out.flush();
    }

    private String cut(String cell) {
        return cell.length() > maxCell ? cell.substring(0, maxCell - 3) + "..." : cell;
    }
}
