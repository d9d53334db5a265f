package dev.soma.models;

import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SomaBuilder#openDatabaseEarly}: the database opened while the project loads is the one a verb would have
 * opened, with the same results and the same errors; a project that fails to load closes it again, and a database
 * that does not exist yet is not created early.
 */
class EarlyDatabaseOpenIT {

    @TempDir
    Path dir;

    private ProjectFixture project() {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/a.sql", "select * from ${source('raw', 'books')}")
                .file("staging/b.sql", "select book_id from ${ref('a')}");
    }

    private Path databaseWithRawTables() {
        Path file = dir.resolve("early.duckdb");
        try (Warehouse warehouse = Warehouse.open(file)) {
            ProjectFixture.rawTables(warehouse);
        }
        return file;
    }

    private static SomaBuilder early(ProjectFixture fixture, Path database) {
        return Soma.builder().project(fixture.root()).database(database).threads(1).openDatabaseEarly(true);
    }

    @Test
    void aRunOnTheDatabaseOpenedEarlyBuildsWhatALazyOpenBuilds() {
        Path database = databaseWithRawTables();
        ProjectFixture fixture = project();
        try (Soma soma = early(fixture, database).build()) {
            RunResult first = soma.run(Selection.all());
            assertThat(first.isSuccess()).as(first.failures().toString()).isTrue();
            assertThat(soma.warehouse().file()).contains(database.toAbsolutePath().normalize());
        }
        fixture.file("staging/b.sql", "select book_id, title from ${ref('a')}");
        try (Soma soma = early(fixture, database).build()) {
            RunResult second = soma.run(Selection.all());
            assertThat(second.result("a").message()).startsWith("VIEW unchanged");
            assertThat(second.result("b").message()).isEqualTo("CREATE VIEW");
        }
        try (Warehouse warehouse = Warehouse.open(database)) {
            assertThat(warehouse.queryLong(SqlOwner.loader("check"),
                    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'b'")).isEqualTo(2);
        }
    }

    @Test
    void theCatalogReadWhenTheDatabaseOpenedIsNotTrustedOnceTheWarehouseWasUsedBeforeTheRun() {
        Path database = databaseWithRawTables();
        ProjectFixture fixture = project();
        try (Soma soma = early(fixture, database).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
        }
        try (Soma soma = early(fixture, database).build()) {
            // The view b becomes a table through the warehouse before the run: the catalog read at open says "view"
            // (and the ledger still holds b's fingerprint), so trusting it would keep the table as it is.
            Warehouse warehouse = soma.warehouse();
            String schema = warehouse.query(SqlOwner.loader("check"),
                    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'b'", rs -> {
                        rs.next();
                        return rs.getString(1);
                    });
            warehouse.execute(SqlOwner.loader("setup"), "DROP VIEW " + schema + ".b");
            warehouse.execute(SqlOwner.loader("setup"), "CREATE TABLE " + schema + ".b AS SELECT 1 AS book_id");
            RunResult run = soma.run(Selection.all());
            assertThat(run.isSuccess()).as(run.failures().toString()).isTrue();
            assertThat(run.result("b").message()).isEqualTo("CREATE VIEW");
            String type = warehouse.query(SqlOwner.loader("check"),
                    "SELECT table_type FROM information_schema.tables WHERE table_name = 'b'", rs -> {
                        rs.next();
                        return rs.getString(1);
                    });
            assertThat(type).isEqualTo("VIEW");
        }
    }

    @Test
    void aDatabaseThatDoesNotExistIsNotCreatedByAProjectThatFailsToLoad() {
        Path database = dir.resolve("absent.duckdb");
        ProjectFixture fixture = project().file("staging/c.sql", "select * from ${ref('nowhere')}");
        assertThatThrownBy(() -> early(fixture, database).build()).isInstanceOf(ProjectException.class);
        assertThat(database).doesNotExist();

        fixture.delete("staging/c.sql");
        try (Soma soma = early(fixture, database).build()) {
            assertThat(database).doesNotExist(); // created by the run, as without the early open
            soma.run(Selection.all());
        }
        assertThat(database).exists();
    }

    @Test
    void aProjectThatFailsToLoadClosesTheDatabaseItOpenedEarly() throws Exception {
        Path database = databaseWithRawTables();
        ProjectFixture fixture = project().file("staging/c.sql", "select * from ${ref('nowhere')}");
        assertThatThrownBy(() -> early(fixture, database).build()).isInstanceOf(ProjectException.class);
        // another process can take the file: nothing here holds its lock any more
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenAndClose.class.getName(), database.toString())
                .redirectErrorStream(true).start();
        String output = new String(other.getInputStream().readAllBytes());
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).as(output).isZero();
    }

    @Test
    void aDatabaseThatCannotBeOpenedFailsTheVerbWithTheErrorOfALazyOpen() throws Exception {
        Path database = dir.resolve("garbage.duckdb");
        Files.write(database, "not a database, but a file of that name".repeat(200).getBytes());
        ProjectFixture fixture = project();
        String lazy;
        try (Soma soma = Soma.builder().project(fixture.root()).database(database).threads(1).build()) {
            lazy = messageOf(soma);
        }
        try (Soma soma = early(fixture, database).build()) { // the load itself does not fail
            assertThat(messageOf(soma)).isEqualTo(lazy).contains(database.getFileName().toString());
        }
    }

    private static String messageOf(Soma soma) {
        try {
            soma.run(Selection.all());
        } catch (SomaException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
        throw new AssertionError("the run did not fail");
    }

    /** Opens the DuckDB file given and closes it: exits 0 unless another process holds its lock. */
    static final class OpenAndClose {
        public static void main(String[] args) throws Exception {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
                System.out.println(List.of("opened", connection.isValid(1)));
            }
        }
    }
}
