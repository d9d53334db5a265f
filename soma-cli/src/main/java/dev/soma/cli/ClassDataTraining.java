package dev.soma.cli;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The launcher's training run for its class-data-sharing archive ({@code soma-cli/target/soma.jsa}): in one JVM, the
 * commands people run most, each twice (the second finds the caches the first wrote), so that the JVM lists the
 * classes all of them load ({@code -XX:DumpLoadedClassList}) for the launcher to dump into the archive: {@code ls} of
 * the projects given (the launcher gives a copy of the bundled one), then {@code run}, {@code test} and {@code ls} of
 * a small project of views with tests that this class writes, on a DuckDB file of its own. With an archive of
 * {@code ls} alone, a 10,000-view {@code run} loaded 859 classes from outside it (benchmarks/README.md, section 23).
 *
 * <p>Not a command: {@code java -XX:DumpLoadedClassList=… -cp soma.jar dev.soma.cli.ClassDataTraining DIR [PROJECT…]},
 * where {@code DIR} is an empty folder it may fill and each {@code PROJECT} a copy it may change (its files are dated
 * back, so that {@code ls} keeps and then reads its listing snapshot). Prints nothing; exits 0 when every command
 * succeeded.
 */
public final class ClassDataTraining {

    private static final int MODELS = 12;

    private ClassDataTraining() {
    }

    public static void main(String[] args) {
        Main.configureLogging(false);
        List<Path> projects = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            projects.add(Path.of(args[i]));
        }
        System.exit(train(Path.of(args[0]), projects).isEmpty() ? 0 : 1);
    }

    /**
     * Runs the training in {@code dir} (an empty folder), {@code ls} of each of {@code projects} first, with the
     * output of every command thrown away.
     *
     * @return the commands that did not succeed (exit code other than 0), each as its words
     */
    static List<String> train(Path dir, List<Path> projects) {
        Path project = writeProject(dir.resolve("project"));
        // A project written or copied in the last 2 s gets no listing snapshot (ProjectFingerprint), so the second ls
        // would not read one: the files are dated back, as a project edited a while ago is.
        age(project);
        projects.forEach(ClassDataTraining::age);
        Path database = dir.resolve("training.duckdb");
        try (Warehouse warehouse = Warehouse.open(database)) {
            warehouse.createSchema("raw");
            warehouse.execute(SqlOwner.soma("class-data training"),
                    "CREATE TABLE raw.events AS SELECT range AS id, range % 7 AS value FROM range(100)");
        }
        List<String[]> commands = new ArrayList<>();
        for (Path listed : projects) {
            commands.add(new String[] {"ls", "--project-dir", listed.toString()});
            commands.add(new String[] {"ls", "--project-dir", listed.toString()});
        }
        String[] run = {"run", "--project-dir", project.toString(), "--db", database.toString()};
        commands.add(run);
        commands.add(run);
        commands.add(new String[] {"test", "--project-dir", project.toString(), "--db", database.toString()});
        commands.add(new String[] {"ls", "--project-dir", project.toString()});
        commands.add(new String[] {"ls", "--project-dir", project.toString()});
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> failed = new ArrayList<>();
        try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream())) {
            System.setOut(nowhere);
            System.setErr(nowhere);
            for (String[] command : commands) {
                if (SomaCommand.commandLine(command).execute(command) != 0) {
                    failed.add(String.join(" ", command));
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return failed;
    }

    /** Dates every file of {@code project} ten minutes back. */
    private static void age(Path project) {
        FileTime then = FileTime.from(Instant.now().minus(Duration.ofMinutes(10)));
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.setLastModifiedTime(file, then);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Views over a source in two folders, each reading the one before, with a test per model: the shape of most projects. */
    private static Path writeProject(Path project) {
        try {
            Files.createDirectories(project.resolve("macros"));
            Files.writeString(project.resolve("soma_project.yml"), """
                    name: training
                    vars: {floor: 0}
                    models:
                      staging: {materialized: view, schema: staging}
                      marts: {materialized: view, schema: analytics, tags: [marts]}
                    """);
            Files.writeString(project.resolve("sources.yml"), """
                    sources:
                      - name: raw
                        tables: [{name: events}]
                    """);
            Files.writeString(project.resolve("macros/filters.ftl"), """
                    <#function positive column>
                      <#return column + " >= " + var("floor")>
                    </#function>
                    """);
            for (String folder : List.of("staging", "marts")) {
                Path models = Files.createDirectories(project.resolve(folder));
                StringBuilder yaml = new StringBuilder("models:\n");
                for (int i = 0; i < MODELS; i++) {
                    String name = folder.charAt(0) + "m" + i;
                    String from = folder.equals("staging") ? "${source('raw', 'events')}" : "${ref('sm" + i + "')}";
                    Files.writeString(models.resolve(name + ".sql"), "select id, value from " + from + " where ${positive('value')}\n");
                    yaml.append("  - name: ").append(name).append("\n    description: Model ").append(i)
                            .append(".\n    columns:\n      - name: id\n        description: The key.\n")
                            .append("        tests: [not_null, unique]\n");
                }
                Files.writeString(models.resolve("_models.yml"), yaml);
            }
            return project;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
