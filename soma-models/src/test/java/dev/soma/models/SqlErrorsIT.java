package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A model DuckDB rejects: the real error first, its line counted in the compiled file and the source. */
class SqlErrorsIT {

    @TempDir
    Path dir;

    @Test
    void theErrorIsDuckDbsOwnWithItsLineInTheCompiledFileAndTheSource() {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("marts/bad.sql", "<#-- a comment line the compiled file does not have -->\nselect\n  book_id,\n  no_such_column\n"
                        + "from ${source('raw', 'books')}\n");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture.soma(warehouse).build()) {
                NodeResult bad = soma.run(Selection.of("bad")).result("bad");
                assertThat(bad.message()).doesNotContain("Attempting to execute an unsuccessful or closed pending query result")
                        .doesNotContain("DuckDB error: Error:")
                        .contains("Binder Error: Referenced column \"no_such_column\" not found")
                        .contains("LINE 3:")
                        .contains("(line 3 of the compiled SQL, marts/bad.sql:4 in the model)");
            }
        }
    }
}
