package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.List;

/**
 * A model's columns do not match its enforced contract; nothing was built. The message is dbt's: a table
 * of each column that differs, with the type the model's SQL gives ("definition") and the contract's.
 */
public class ContractException extends SomaException {

    private final String model;
    private final List<Mismatch> mismatches;

    public ContractException(String model, String path, List<Mismatch> mismatches) {
        super(ErrorCode.PROJECT_INVALID, message(model, path, mismatches));
        this.model = model;
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * One column that differs.
     *
     * @param definitionType the type the model's SQL gives it, or {@code null} when the SQL lacks it
     * @param contractType   the contract's type, or {@code null} when the contract lacks it
     * @param reason         dbt's words: {@code data type mismatch}, {@code missing in definition}, {@code missing in contract}
     */
    public record Mismatch(String column, String definitionType, String contractType, String reason) {
    }

    public String model() {
        return model;
    }

    public List<Mismatch> mismatches() {
        return mismatches;
    }

    private static String message(String model, String path, List<Mismatch> mismatches) {
        String[] header = {"column_name", "definition_type", "contract_type", "mismatch_reason"};
        int[] widths = new int[4];
        for (int i = 0; i < 4; i++) {
            widths[i] = header[i].length();
        }
        for (Mismatch m : mismatches) {
            String[] row = cells(m);
            for (int i = 0; i < 4; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder("model " + model + " (" + path + ") has an enforced contract that failed.\n"
                + "Please ensure the name, data_type, and number of columns in your contract match the columns in "
                + "your model's definition.\n\n");
        line(text, header, widths);
        String[] rule = new String[4];
        for (int i = 0; i < 4; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(text, rule, widths);
        for (Mismatch m : mismatches) {
            line(text, cells(m), widths);
        }
        return text.toString().stripTrailing();
    }

    private static String[] cells(Mismatch m) {
        return new String[]{m.column(), m.definitionType() == null ? "" : m.definitionType(),
                m.contractType() == null ? "" : m.contractType(), m.reason()};
    }

    private static void line(StringBuilder text, String[] cells, int[] widths) {
        text.append('|');
        for (int i = 0; i < cells.length; i++) {
            text.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        text.append('\n');
    }
}
