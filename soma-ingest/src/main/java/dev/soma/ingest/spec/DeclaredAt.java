package dev.soma.ingest.spec;

/**
 * A place in a project file, for messages: {@code models/sources.yml:12:9}.
 *
 * @param file   the file, as the user would name it (project-relative where possible)
 * @param line   1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 */
public record DeclaredAt(String file, int line, int column) {

    /** Nowhere in particular: a spec built in code. */
    public static final DeclaredAt UNKNOWN = new DeclaredAt("(in code)", 0, 0);

    @Override
    public String toString() {
        return line <= 0 ? file : column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
