package dev.soma.cli.project;

import dev.soma.cli.CliRun;
import dev.soma.cli.TestProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code soma ls} prints the same bytes whether the listing comes from {@code target/ls_snapshot.bin} or from a full
 * load, on the bundled project (models, seeds, sources, snapshots, data and unit tests), in every output format, and
 * with selectors and excludes (which load the project) whether a snapshot lies there or not.
 */
class ListSnapshotTest {

    @TempDir
    Path dir;

    private Path project;

    @BeforeEach
    void bundled() throws IOException {
        project = TestProject.copyBundled(dir);
        // as if checked out a while ago: a file changed in the last seconds keeps the snapshot from being written
        FileTime past = FileTime.from(Instant.now().minusSeconds(600));
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, past);
            }
        }
    }

    @Test
    void theSnapshotPrintsWhatTheLoadPrints() {
        Path snapshot = project.resolve("target").resolve("ls_snapshot.bin");
        List<List<String>> variants = List.of(List.of(), List.of("-o", "name"), List.of("-o", "path"), List.of("-o", "id"),
                List.of("--resource-type", "test"), List.of("--resource-type", "model", "-o", "id"));
        for (List<String> variant : variants) {
            CliRun loaded = ls(variant, "--no-partial-parse");
            assertThat(loaded.exitCode()).isZero();
            assertThat(loaded.err()).isEmpty();
            CliRun first = ls(variant);
            assertThat(snapshot).isRegularFile();
            CliRun fromSnapshot = ls(variant);
            assertThat(first.out()).as("ls %s, loading", variant).isEqualTo(loaded.out());
            assertThat(fromSnapshot.out()).as("ls %s, from the snapshot", variant).isEqualTo(loaded.out());
            assertThat(fromSnapshot.err()).isEmpty();
        }
        assertThat(ls(List.of()).out()).contains("model ", "test ", "source ", "unit_test ", "snapshot ");
    }

    @Test
    void selectorsAndExcludesPrintTheSameWithASnapshotThereOrNot() throws IOException {
        List<List<String>> selections = List.of(List.of("-s", "tag:marts"), List.of("-s", "+fact_sales", "--exclude", "stg_books"),
                List.of("-s", "staging", "-o", "name"), List.of("--exclude", "test_type:data"),
                List.of("-s", "config.materialized:table", "resource_type:seed"));
        List<String> without = new ArrayList<>();
        for (List<String> selection : selections) {
            without.add(ls(selection, "--no-partial-parse").out());
        }
        ls(List.of());
        assertThat(project.resolve("target").resolve("ls_snapshot.bin")).isRegularFile();
        for (int i = 0; i < selections.size(); i++) {
            CliRun with = ls(selections.get(i));
            assertThat(with.exitCode()).isZero();
            assertThat(with.out()).as("ls %s", selections.get(i)).isEqualTo(without.get(i)).isNotEmpty();
        }
    }

    private CliRun ls(List<String> args, String... more) {
        List<String> all = new ArrayList<>(List.of("ls", "--project-dir", project.toString()));
        all.addAll(args);
        all.addAll(List.of(more));
        return CliRun.of(all.toArray(String[]::new));
    }
}
