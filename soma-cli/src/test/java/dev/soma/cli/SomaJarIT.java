package dev.soma.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
        String library = thisPlatformsLibrary();
        assumeTrue(library != null, "this platform's DuckDB library is kept inside soma.jar (no profile of soma-cli names it)");
        assertThat(TARGET.resolve(library)).as("the build puts " + library + " beside soma.jar").isRegularFile();
        try (JarFile jar = new JarFile(TARGET.resolve("soma.jar").toFile())) {
            assertThat(jar.getEntry(library)).as("soma.jar must not also hold " + library + ": DuckDB would copy it out")
                    .isNull();
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

    /**
     * DuckDB's name for this platform's library when soma-cli's build keeps it beside the jar (its profiles:
     * Linux x86-64 and arm64, macOS arm64, Windows x86-64), else {@code null}.
     */
    private static String thisPlatformsLibrary() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        String platform = os.startsWith("linux") && amd64 ? "linux_amd64"
                : os.startsWith("linux") && arm64 ? "linux_arm64"
                : os.startsWith("mac") && arm64 ? "macos_arm64"
                : os.startsWith("windows") && amd64 ? "windows_amd64" : null;
        return platform == null ? null : "libduckdb_java.so_" + platform;
    }
}
