package dev.soma.models.error;

/**
 * A place in a project file: its path relative to the project, a 1-based line and column
 * ({@code 0} when unknown).
 */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation of(String file) {
        return new SourceLocation(file, 0, 0);
    }

    public static SourceLocation of(String file, int line) {
        return new SourceLocation(file, line, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
