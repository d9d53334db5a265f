package dev.soma.cli;

import dev.soma.core.error.DatabaseUnavailableException;
import dev.soma.core.warehouse.Warehouse;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --project-dir}, {@code --target} and {@code --db}: the options that say which project and which
 * database a command works on, and the one way every command opens that database ({@link DatabaseLocation}).
 * A mixin of the project, ingestion, generate, runs and publish commands.
 */
public final class DatabaseOptions {

    @Option(names = "--project-dir", paramLabel = "DIR",
            description = "The project folder (holding soma_project.yml), whose target names the database. "
                    + "Default: the current folder if it has one, else ./models.")
    Path projectDir;

    @Option(names = "--target", paramLabel = "NAME", description = "Which target of soma_project.yml to use.")
    String target;

    @Option(names = "--db", paramLabel = "PATH", description = DatabaseLocation.HELP)
    Path db;

    /** The project folder: as given, or found in the current folder or ./models (an error if none). */
    public Path projectDir() {
        return ProjectLocation.require(projectDir);
    }

    /** The project folder as given, else found in the current folder or ./models; {@code null} when there is none. */
    public Path projectDirOrNull() {
        return projectDir != null ? projectDir : ProjectLocation.find();
    }

    /** {@code --target}; {@code null} for the project's default. */
    public String target() {
        return target;
    }

    /** {@code --db} as given; {@code null} when not given. */
    public Path db() {
        return db;
    }

    /** The database file the options name; {@code null} when the target is in memory. */
    public Path file() {
        return DatabaseLocation.resolve(projectDir, target, db);
    }

    /**
     * The database file, which must exist already (commands that only read what a build recorded).
     *
     * @throws DatabaseUnavailableException when there is no database file
     */
    public Path existingFile() {
        Path file = file();
        if (file == null || !Files.isRegularFile(file)) {
            throw new DatabaseUnavailableException(file, "no database at " + file
                    + "; run 'soma build' first, or pass the database with --db", null);
        }
        return file;
    }

    /** Opens the database the options name (created if missing; in memory for an in-memory target). */
    public Warehouse open() {
        Path file = file();
        return file == null ? Warehouse.inMemory() : Warehouse.open(file);
    }

    /** Opens the database of the project folder that must exist ({@link #projectDir()}). */
    public Warehouse openInProject() {
        Path file = DatabaseLocation.resolve(projectDir(), target, db);
        return file == null ? Warehouse.inMemory() : Warehouse.open(file);
    }
}
