package dev.soma.models;

import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A project inside a jar loads and runs like one on disk. */
class ClasspathProjectTest {

    @TempDir
    Path dir;

    @Test
    void loadsAndRunsAProjectFromAJar() throws Exception {
        ClasspathProject project;
        try (URLClassLoader loader = jar(
                "bundled/soma_project.yml", "name: bundled\nmodels: {marts: {materialized: table}}\n",
                "bundled/macros/double.ftl", "<#function double x><#return x + \" * 2\"></#function>\n",
                "bundled/seeds/numbers.csv", "n\n1\n2\n3\n",
                "bundled/marts/doubled.sql", "select ${double('n')} as d from ${ref('numbers')}\n");
             Warehouse warehouse = Warehouse.inMemory()) {
            project = ClasspathProject.open(loader, "bundled");
            assertThat(project.isInJar()).isTrue();
            try (Soma soma = Soma.builder().project(project).warehouse(warehouse).targetDir(dir.resolve("target")).build()) {
                RunResult result = soma.run(Selection.all());
                assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
                assertThat(warehouse.queryLong(dev.soma.core.warehouse.SqlOwner.loader("check"), "SELECT sum(d) FROM main.doubled"))
                        .isEqualTo(12);
                assertThat(dir.resolve("target/compiled/marts/doubled.sql")).exists();
                assertThat(project.root().getFileSystem().isOpen()).isTrue();
            }
        }
        // The jar is held open for the Soma's life, not the JVM's.
        assertThat(project.root().getFileSystem().isOpen()).isFalse();
    }

    @Test
    void twoInstancesOnOneJarCloseIndependently() throws Exception {
        try (URLClassLoader loader = jar(
                "p/soma_project.yml", "name: p\n",
                "p/one.sql", "select 1 as x\n");
             Soma first = Soma.builder().project(ClasspathProject.open(loader, "p")).targetDir(dir.resolve("t1")).build()) {
            try (Soma second = Soma.builder().project(ClasspathProject.open(loader, "p")).targetDir(dir.resolve("t2")).build()) {
                assertThat(second.list(Selection.all())).hasSize(1);
            }
            assertThat(first.list(Selection.all())).hasSize(1);
        }
    }

    @Test
    void aDatabaseRelativeToTheProjectFolderIsRefusedInsideAJarAndAPlainOneResolvesInTheWorkingDirectory()
            throws Exception {
        try (URLClassLoader loader = jar(
                "up/soma_project.yml", "name: up\ntargets: {dev: {database: ../soma.duckdb}}\n",
                "up/one.sql", "select 1 as x\n",
                "here/soma_project.yml", "name: here\ntargets: {dev: {database: data/here.duckdb}}\n",
                "here/one.sql", "select 1 as x\n")) {
            try (Soma soma = Soma.builder().project(ClasspathProject.open(loader, "up")).targetDir(dir.resolve("t1")).build()) {
                assertThatThrownBy(soma::databaseFile).isInstanceOf(SomaException.class)
                        .hasMessageContaining("the project is inside a jar, so its target's database '../soma.duckdb' "
                                + "has no project folder to be relative to")
                        .hasMessageContaining("--db");
                Path chosen = dir.resolve("chosen.duckdb");
                try (Soma explicit = Soma.builder().project(ClasspathProject.open(loader, "up")).database(chosen)
                        .targetDir(dir.resolve("t2")).build()) {
                    assertThat(explicit.databaseFile()).contains(chosen);
                }
            }
            try (Soma soma = Soma.builder().project(ClasspathProject.open(loader, "here")).targetDir(dir.resolve("t3")).build()) {
                assertThat(soma.databaseFile()).contains(Path.of("data/here.duckdb").toAbsolutePath());
            }
        }
    }

    @Test
    void aMissingProjectSaysWhereItLooked() {
        assertThatThrownBy(() -> ClasspathProject.open(getClass().getClassLoader(), "nowhere/project"))
                .isInstanceOf(SomaException.class)
                .hasMessage("no project at classpath:nowhere/project (no nowhere/project/soma_project.yml on the class path)");
    }

    /** A class loader (with no parent) of a new jar of these files: names and texts, in turn. */
    private URLClassLoader jar(String... namesAndTexts) throws IOException {
        Path jar = dir.resolve("project.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                out.putNextEntry(new JarEntry(namesAndTexts[i]));
                OutputStream stream = out;
                stream.write(namesAndTexts[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return new URLClassLoader(new URL[]{jar.toUri().toURL()}, null);
    }
}
