package dev.soma.cli;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one rule every command follows for its project folder: {@code --project-dir} if given, else the
 * current folder if it holds a {@code soma_project.yml}, else {@code ./models} if that does.
 */
public final class ProjectLocation {

    private ProjectLocation() {
    }

    /** The current folder or ./models, whichever holds a soma_project.yml; {@code null} if neither does. */
    public static Path find() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isRegularFile(here.resolve("soma_project.yml"))) {
            return here;
        }
        Path models = here.resolve("models");
        return Files.isRegularFile(models.resolve("soma_project.yml")) ? models : null;
    }

    /**
     * {@code given} (from {@code --project-dir}) if it is a folder, else what {@link #find} finds.
     *
     * @throws SomaException naming the folder when {@code given} does not exist, or where it looked when
     *                       nothing was given and neither place holds a project
     */
    public static Path require(Path given) {
        Path checked = checked(given);
        if (checked != null) {
            return checked;
        }
        Path found = find();
        if (found == null) {
            Path here = Path.of("").toAbsolutePath();
            throw new SomaException(ErrorCode.PROJECT_INVALID, "no soma_project.yml in " + here + " or "
                    + here.resolve("models") + "; pass the project folder with --project-dir");
        }
        return found;
    }

    /**
     * {@code given} when it is a folder, {@code null} when nothing was given.
     *
     * @throws SomaException when {@code given} does not exist
     */
    public static Path checked(Path given) {
        if (given != null && !Files.isDirectory(given)) {
            throw new SomaException(ErrorCode.PROJECT_INVALID, "project folder " + given
                    + " does not exist; pass the folder holding soma_project.yml with --project-dir");
        }
        return given;
    }
}
