package dev.soma.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The base of the CLI tests that write a small project in a temporary folder and run {@code soma} on it:
 * {@link #project} and {@link #db} are fresh for each test (written by the subclass's {@code @BeforeEach}).
 */
public abstract class ProjectFixture {

    @TempDir
    protected Path dir;
    protected TestProject fixture;
    protected Path project;
    protected String db;

    @BeforeEach
    void newProjectFolder() {
        fixture = TestProject.in(dir);
        project = fixture.project();
        db = fixture.db();
    }

    /** Writes a project file. */
    protected void write(String path, String text) {
        fixture.write(path, text);
    }

    /** Runs soma on the project and its database. */
    protected CliRun soma(String... args) {
        return fixture.soma(args);
    }
}
