package dev.soma.models.internal.artifacts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a run's {@link ArtifactWriter} finds in {@code target/compiled} through the index the run before left
 * ({@link CompiledIndex}): each test is two or three runs, each a writer of its own, as each {@code soma run} is.
 */
class CompiledIndexTest {

    @TempDir
    Path target;

    /** One run: writes each model's SQL and keeps the index, as a run does. */
    private Path run(String path, String sql) {
        ArtifactWriter writer = new ArtifactWriter(target, Clock.systemUTC());
        Path file = writer.writeCompiled(path, sql);
        writer.saveCompiledIndex();
        return file;
    }

    @Test
    void aFileWhoseSqlIsUnchangedIsTakenFromTheIndexNotReadBack() throws Exception {
        Path file = run("marts/a.sql", "select 1");
        assertThat(target.resolve(CompiledIndex.FILE_NAME)).exists();
        // An edit in place is not seen while the model's SQL is unchanged: the file is not read back (documented).
        Files.writeString(file, "edited by hand\n");
        run("marts/a.sql", "select 1");
        assertThat(file).hasContent("edited by hand");
        // A change of the SQL writes the file again.
        run("marts/a.sql", "select 2");
        assertThat(file).hasContent("select 2");
    }

    @Test
    void aDeletedFileOrFolderIsWrittenAgain() throws Exception {
        Path file = run("marts/a.sql", "select 1");
        Files.delete(file);
        run("marts/a.sql", "select 1");
        assertThat(file).hasContent("select 1");

        Files.delete(file);
        Files.delete(file.getParent());
        run("marts/a.sql", "select 1");
        assertThat(file).hasContent("select 1");
    }

    @Test
    void withoutAnIndexOrWithADamagedOneEveryFileIsComparedAsBefore() throws Exception {
        Path file = run("a.sql", "select 1");
        Files.writeString(file, "edited by hand\n");
        Files.write(target.resolve(CompiledIndex.FILE_NAME), new byte[] {1, 2, 3});
        run("a.sql", "select 1");
        assertThat(file).hasContent("select 1");

        Files.writeString(file, "edited by hand\n");
        Files.delete(target.resolve(CompiledIndex.FILE_NAME));
        run("a.sql", "select 1");
        assertThat(file).hasContent("select 1");
    }

    @Test
    void theIndexKeepsTheFilesOfModelsARunDidNotWrite() throws Exception {
        ArtifactWriter first = new ArtifactWriter(target, Clock.systemUTC());
        Path a = first.writeCompiled("a.sql", "select 1");
        Path b = first.writeCompiled("b.sql", "select 2");
        first.saveCompiledIndex();
        run("a.sql", "select 10");   // a run of a alone (a selection)
        Files.writeString(b, "edited by hand\n");
        run("b.sql", "select 2");
        assertThat(b).as("b's entry survived the run that did not write it").hasContent("edited by hand");
        assertThat(a).hasContent("select 10");
    }

    @Test
    void anIndexWrittenForAnotherTargetFolderIsNotTrusted() throws Exception {
        Path file = run("a.sql", "select 1");
        Path other = target.resolveSibling(target.getFileName() + "-copy");
        Files.createDirectories(other.resolve("compiled"));
        Files.copy(target.resolve(CompiledIndex.FILE_NAME), other.resolve(CompiledIndex.FILE_NAME));
        Files.writeString(other.resolve("compiled").resolve("a.sql"), "edited by hand\n");
        ArtifactWriter writer = new ArtifactWriter(other, Clock.systemUTC());
        writer.writeCompiled("a.sql", "select 1");
        assertThat(other.resolve("compiled").resolve("a.sql")).hasContent("select 1");
        assertThat(file).hasContent("select 1");
    }
}
