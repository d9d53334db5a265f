package dev.soma.generator;

import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A generation killed (SIGKILL) in the middle of writing leaves the previous raw tables intact. */
class KilledGenerationIT {

    @Test
    void aKilledRunLeavesThePreviousTablesIntact(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("soma.duckdb");
        Map<RawTable, String> before;
        try (Warehouse warehouse = Warehouse.open(file)) {
            Generator.with(GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30)).withScale(3)).generate(warehouse);
            before = Fingerprints.of(warehouse);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + System.getProperty("soma.test.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp", System.getProperty("java.class.path"),
                KilledGeneration.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("writing");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Warehouse reopened = Warehouse.open(file)) {
            assertThat(Fingerprints.of(reopened)).isEqualTo(before);
            assertThat(reopened.queryLong(dev.soma.core.warehouse.SqlOwner.soma("test"), "SELECT count(*) FROM raw.sales"))
                    .isEqualTo(300);
            // the next run clears what the killed one left behind
            Generator.with(GenerationConfig.defaults().withAsOf(LocalDate.of(2025, 6, 30)).withReplace(true)).generate(reopened);
            assertThat(reopened.queryLong(dev.soma.core.warehouse.SqlOwner.soma("test"),
                    "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw'")).isEqualTo(5);
        }
    }
}
