package dev.soma.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged {@code soma.jar}, run as users run it ({@code java -jar}, a JVM of its own): DuckDB's native library
 * for this platform sits beside the jar, not inside it, and is loaded from there, so a start copies nothing into
 * the temporary folder (DuckDB's driver copies the library out of a jar that holds it, 71 MB at every start, and a
 * killed process leaves the copy behind).
 */
class SomaJarIT {

    private static final Path TARGET = Path.of("target");

    @Test
    void theJarLoadsDuckDbFromBesideItAndCopiesNothingIntoTheTemporaryFolder(@TempDir Path dir) throws Exception {
        List<Path> beside = nativeLibrariesBesideTheJar();
        assumeTrue(!beside.isEmpty(), "this platform's DuckDB library is kept inside soma.jar (no profile names it)");
        try (JarFile jar = new JarFile(TARGET.resolve("soma.jar").toFile())) {
            for (Path library : beside) {
                assertThat(jar.getEntry(library.getFileName().toString()))
                        .as("soma.jar must not also hold " + library.getFileName() + ": DuckDB would copy it out").isNull();
            }
        }
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("soma_project.yml"), "name: jar_check\n");
        Files.writeString(project.resolve("answer.sql"), "select 42 as answer");
        Path temp = Files.createDirectories(dir.resolve("tmp"));

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + temp, "-jar",
                TARGET.resolve("soma.jar").toAbsolutePath().toString(), "run", "--project-dir", project.toString(),
                "--db", dir.resolve("check.duckdb").toString())
                .redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).contains("1 success");
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("duckdb"));
        }
    }

    private static List<Path> nativeLibrariesBesideTheJar() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            // DuckDB's names for its platforms' libraries (a test JVM's own copies, libduckdb_java<n>.so, may sit here too)
            return files.filter(path -> path.getFileName().toString().startsWith("libduckdb_java.so_")).toList();
        }
    }
}
