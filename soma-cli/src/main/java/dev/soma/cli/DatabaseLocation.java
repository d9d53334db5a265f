package dev.soma.cli;

import dev.soma.models.ProjectDatabase;

import java.nio.file.Path;

/**
 * The one rule every command follows for its database: {@code --db} if given, else the target's
 * {@code database} from {@code soma_project.yml}, relative to the project folder (the one given with
 * {@code --project-dir}, else the current folder if it holds a {@code soma_project.yml}, else
 * {@code ./models} if that does), else {@code soma.duckdb} in the project folder, or in the current
 * folder when there is no project.
 */
public final class DatabaseLocation {

    private DatabaseLocation() {
    }

    /** The database file; {@code null} when the target is in memory. */
    public static Path resolve(Path projectDir, String target, Path db) {
        return ProjectDatabase.resolve(projectDir != null ? projectDir : ProjectLocation.find(), target, db);
    }

    /** The help text of every {@code --db} option. */
    public static final String HELP = "The DuckDB file. Default: the target's database in soma_project.yml, relative to the "
            + "project folder (--project-dir, else the current folder or ./models), else soma.duckdb there.";
}
