package dev.soma.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A project folder and a database file in a test's temporary folder, and {@code soma} run on them as a
 * user would type it ({@code --project-dir} and {@code --db} added).
 *
 * @param project the project folder ({@code DIR/project})
 * @param db      the database file ({@code DIR/cli.duckdb})
 */
public record TestProject(Path project, String db) {

    /** A project at {@code dir/project} with its database at {@code dir/cli.duckdb}; nothing written yet. */
    public static TestProject in(Path dir) {
        return new TestProject(dir.resolve("project"), dir.resolve("cli.duckdb").toString());
    }

    /** Writes {@code text} to the project file {@code path}, making its folders. */
    public Path write(String path, String text) {
        Path file = project.resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Runs soma with {@code --project-dir} and {@code --db} after {@code args}. */
    public CliRun soma(String... args) {
        return run(true, args);
    }

    /** Runs soma with {@code --project-dir} after {@code args}, and {@code --db} too when {@code withDb}. */
    public CliRun run(boolean withDb, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--project-dir");
        all.add(project.toString());
        if (withDb) {
            all.add("--db");
            all.add(db);
        }
        return CliRun.of(all.toArray(String[]::new));
    }

    /** Copies the bundled project (../models, without target/ and data/) to {@code dir/models}. */
    public static Path copyBundled(Path dir) throws IOException {
        Path project = dir.resolve("models");
        Path models = Path.of("..", "models");
        try (Stream<Path> files = Files.walk(models)) {
            for (Path source : files.filter(p -> !p.toString().contains("target") && !p.toString().contains("data")).toList()) {
                Path target = project.resolve(models.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return project;
    }
}
