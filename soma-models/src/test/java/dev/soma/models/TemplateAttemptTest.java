package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code <#attempt>} is a template's own error handling: the case it handles is not an error to log. */
class TemplateAttemptTest {

    @TempDir
    Path dir;

    @Test
    void aRecoveredAttemptLogsNothing() {
        ProjectFixture fixture = ProjectFixture.in(dir).file("staging/guarded.sql", """
                select <#attempt>${missing_value}<#recover>42</#attempt> as answer
                """);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<CompiledNode> compiled;
        try (Warehouse warehouse = Warehouse.inMemory()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (Soma soma = fixture.soma(warehouse).build()) {
                compiled = soma.compile(Selection.of("guarded"));
            } finally {
                System.setErr(originalErr);
            }
        }
        assertThat(compiled).singleElement().satisfies(node -> assertThat(node.sql()).contains("select 42 as answer"));
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR").doesNotContain("Exception");
    }
}
