package dev.soma.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher keeps a class-data archive only when its training run succeeds; a training project the commands
 * no longer accept would silently cost every start the archive.
 */
class ClassDataTrainingTest {

    @Test
    void everyTrainingCommandSucceedsOnItsProjectAndOnTheBundledOne(@TempDir Path dir) throws Exception {
        Path bundled = Files.createDirectories(dir.resolve("bundled"));
        copy(Path.of("..", "models").toAbsolutePath().normalize(), bundled);

        List<String> failed = ClassDataTraining.train(dir.resolve("work"), List.of(bundled));

        assertThat(failed).isEmpty();
        assertThat(dir.resolve("work/project/target/manifest.json")).as("run wrote its artifacts").exists();
        assertThat(dir.resolve("work/project/target/ls_snapshot.bin")).as("the second ls read what the first kept").exists();
        assertThat(bundled.resolve("target/partial_parse.bin")).exists();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.startsWith("target")) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to.resolve(relative.toString()));
                } else {
                    Files.copy(file, to.resolve(relative.toString()));
                }
            }
        }
    }
}
