package dev.soma.models.internal.materialize;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the {@code LINE n} of a DuckDB error to the compiled SQL file, and where the template allows
 * to its source file. DuckDB counts lines of the statement it ran, which wraps the compiled SQL
 * ({@code CREATE TABLE … AS} on a line of its own), so its number is off by the wrapper's lines.
 * Stateless.
 */
final class ErrorLines {

    private static final Pattern LINE = Pattern.compile("LINE (\\d+):");

    private ErrorLines() {
    }

    /**
     * {@code message} with its {@code LINE n} counted in {@code compiledSql} (the caret diagram kept
     * aligned), followed by where that line is in the compiled file and, when exactly one source line
     * reads the same, in {@code sourcePath}.
     */
    static String remap(String message, String statement, String compiledSql, String sourceText, String sourcePath) {
        Matcher matcher = LINE.matcher(message);
        int at = statement == null || compiledSql == null ? -1 : statement.indexOf(compiledSql);
        if (!matcher.find() || at < 0) {
            return message;
        }
        int offset = (int) statement.substring(0, at).chars().filter(c -> c == '\n').count();
        int duckdbLine = Integer.parseInt(matcher.group(1));
        int compiledLine = duckdbLine - offset;
        String[] compiledLines = compiledSql.split("\r?\n", -1);
        if (compiledLine < 1 || compiledLine > compiledLines.length) {
            return message;
        }
        String original = matcher.group();
        String replaced = "LINE " + compiledLine + ":";
        replaced = replaced + " ".repeat(Math.max(0, original.length() - replaced.length()));
        String text = message.substring(0, matcher.start()) + replaced + message.substring(matcher.end());
        String where = "line " + compiledLine + " of the compiled SQL";
        int sourceLine = sourceLine(sourceText, compiledLines[compiledLine - 1]);
        if (sourceLine > 0) {
            where += ", " + sourcePath + ":" + sourceLine + " in the model";
        }
        return text + "\n(" + where + ")";
    }

    /** The one source line that reads like {@code compiled}, or 0 when none or several do. */
    private static int sourceLine(String sourceText, String compiled) {
        String wanted = compiled.strip();
        if (sourceText == null || wanted.isEmpty()) {
            return 0;
        }
        List<Integer> found = new ArrayList<>();
        String[] lines = sourceText.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals(wanted)) {
                found.add(i + 1);
            }
        }
        return found.size() == 1 ? found.get(0) : 0;
    }
}
