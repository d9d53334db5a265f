package dev.soma.cli;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java example, verbatim: the {@code java} block under "From Java" in README.md is read
 * at test time, wrapped in a {@code main} with its imports, compiled, and run in its own JVM from a
 * folder holding a copy of the bundled project ({@code models/}) and a freshly generated
 * {@code soma.duckdb} with no model built yet. It must end with nothing printed (no failures).
 * Editing the README's example edits this test.
 */
class ReadmeExampleIT {

    private static final String IMPORTS = """
            import dev.soma.core.warehouse.Warehouse;
            import dev.soma.models.Soma;
            import dev.soma.models.api.RunResult;
            import dev.soma.models.api.Selection;
            import java.nio.file.Path;
            """;

    static String readmeJavaExample() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("### From Java\\s+```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README.md has a ```java block under '### From Java'").isTrue();
        return block.group(1);
    }

    @Test
    void theReadmeJavaExampleBuildsFactSalesOnAFreshDatabase(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("ReadmeExample.java"), IMPORTS
                + "\npublic class ReadmeExample {\n    public static void main(String[] args) throws Exception {\n"
                + readmeJavaExample() + "\n    }\n}\n");
        String classpath = classpath();
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-cp", classpath, "-d", classes.toString(),
                src.resolve("ReadmeExample.java").toString());
        assertThat(compiled).as("the README's Java example compiles").isZero();

        Path work = dir.resolve("work");
        copyProject(Path.of("..", "models"), work.resolve("models"));
        try (Warehouse warehouse = Warehouse.open(work.resolve("soma.duckdb"))) {
            Generator.with(GenerationConfig.defaults()).generate(warehouse);
        }

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classes + File.pathSeparator + classpath, "ReadmeExample")
                .directory(work.toFile()).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String printed = new String(out);
        assertThat(process.exitValue()).as(printed + new String(err)).isZero();
        assertThat(printed).as("the example prints each failure; there must be none").isEmpty();
        assertThat(work.resolve("models/target/run_results.json")).exists();
    }

    /** The test's classpath, expanding a manifest-only booter jar (surefire and failsafe use one). */
    private static String classpath() throws IOException {
        String classpath = System.getProperty("java.class.path");
        String[] entries = classpath.split(File.pathSeparator);
        if (entries.length == 1 && entries[0].endsWith(".jar")) {
            try (JarFile jar = new JarFile(entries[0])) {
                String manifestPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestPath != null) {
                    List<String> expanded = new ArrayList<>();
                    for (String url : manifestPath.trim().split("\\s+")) {
                        expanded.add(Path.of(URI.create(url.startsWith("file:") ? url : "file:" + url)).toString());
                    }
                    return String.join(File.pathSeparator, expanded);
                }
            }
        }
        return classpath;
    }

    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
