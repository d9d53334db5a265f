package dev.soma.core.error;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file Soma must read or write cannot be: an artifact under {@code target/}, a compiled SQL file, a
 * seed copied out of a jar. The environment's problem (permissions, a full disk), not the project's.
 */
public class FileAccessException extends SomaException {

    private final Path file;

    /**
     * @param problem what Soma was doing ({@code cannot write}), without the file
     */
    public FileAccessException(Path file, String problem, IOException cause) {
        super(ErrorCode.FILE_ACCESS, problem + ": " + file + ": " + describe(cause)
                + "; check that the folder exists and is writable, or set target_path in soma_project.yml", cause);
        this.file = file;
    }

    /** The file that could not be read or written. */
    public Path file() {
        return file;
    }

    private static String describe(IOException cause) {
        String text = cause.getMessage();
        return cause.getClass().getSimpleName() + (text == null ? "" : " " + text);
    }
}
