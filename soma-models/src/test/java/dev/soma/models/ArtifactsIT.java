package dev.soma.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * target/manifest.json and target/run_results.json carry what dbt tools need (manifest v12, run_results
 * v6). The keys are checked here by hand, so the test needs none of dbt's files; when dbt's published
 * schemas are at hand ({@code -Dsoma.dbtSchemas=DIR}, default {@code ../../shared/reference/dbt-artifacts}
 * from the module, holding {@code manifest-v12.json} and {@code run-results-v6.json}), the artifacts
 * are also validated against them and the findings printed. dbt's schema files are not part of this
 * repository.
 */
class ArtifactsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    JsonNode manifest;
    JsonNode runResults;

    @BeforeEach
    void build() throws IOException {
        ProjectFixture fixture = ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_books.sql", "select * from ${source('raw', 'books')}")
                .file("marts/dim_books.sql", "select * from ${ref('stg_books')}")
                .file("marts/_marts.yml", """
                        models:
                          - name: dim_books
                            columns:
                              - name: book_id
                                tests: [unique, not_null]
                        """);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
            }
        }
        manifest = JSON.readTree(dir.resolve("target/manifest.json").toFile());
        runResults = JSON.readTree(dir.resolve("target/run_results.json").toFile());
    }

    @Test
    void theManifestCarriesDbtsRequiredKeys() {
        assertThat(manifest.path("metadata").path("dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/manifest/v12.json");
        for (String key : List.of("metadata", "nodes", "sources", "macros", "docs", "exposures", "metrics", "groups",
                "selectors", "disabled", "parent_map", "child_map", "group_map", "saved_queries", "semantic_models", "unit_tests")) {
            assertThat(manifest.has(key)).as("manifest." + key).isTrue();
        }
        JsonNode model = manifest.path("nodes").path("model.fixture.dim_books");
        for (String key : List.of("database", "schema", "name", "resource_type", "package_name", "path", "original_file_path",
                "unique_id", "fqn", "alias", "checksum", "config", "depends_on")) {
            assertThat(model.has(key)).as("node." + key).isTrue();
        }
        assertThat(model.path("package_name").asText()).isEqualTo("fixture");
        assertThat(model.path("fqn").get(0).asText()).isEqualTo("fixture");
        JsonNode source = manifest.path("sources").path("source.fixture.raw.books");
        assertThat(source.path("source_name").asText()).isEqualTo("raw");
        assertThat(source.path("fqn").get(0).asText()).isEqualTo("fixture");
    }

    @Test
    void artifactsAreReadableByTheGroupLikeOtherBuildOutputs() throws IOException {
        Path file = dir.resolve("target/run_results.json");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(file)).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.GROUP_READ);
            assertThat(Files.getPosixFilePermissions(dir.resolve("target/manifest.json")))
                    .contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ);
        }
    }

    @Test
    void runResultsCarryDbtsRequiredKeys() {
        assertThat(runResults.path("metadata").path("dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/run-results/v6.json");
        assertThat(runResults.has("elapsed_time")).isTrue();
        assertThat(runResults.path("results")).isNotEmpty();
        for (JsonNode result : runResults.path("results")) {
            for (String key : List.of("status", "timing", "thread_id", "execution_time", "adapter_response", "message",
                    "failures", "unique_id", "compiled", "compiled_code", "relation_name")) {
                assertThat(result.has(key)).as(result.path("unique_id").asText() + "." + key).isTrue();
            }
            if (result.path("status").asText().equals("skipped")) {
                assertThat(result.path("thread_id").asText()).isEqualTo("soma-main");
            } else {
                assertThat(result.path("thread_id").asText()).as("the worker that ran " + result.path("unique_id").asText())
                        .matches("soma-worker-\\d+");
            }
        }
    }

    @Test
    void runResultsValidateAgainstDbtsSchemaWhenAtHand() throws IOException {
        Set<ValidationMessage> errors = validate("run-results-v6.json", runResults);
        System.out.println("run_results.json against dbt's run-results-v6.json: " + errors.size() + " errors");
        errors.forEach(error -> System.out.println("  " + error));
        assertThat(errors).isEmpty();
    }

    @Test
    void manifestValidatesAgainstDbtsSchemaWhenAtHand() throws IOException {
        Set<ValidationMessage> errors = validate("manifest-v12.json", manifest);
        System.out.println("manifest.json against dbt's manifest-v12.json: " + errors.size() + " errors");
        errors.stream().limit(20).forEach(error -> System.out.println("  " + error));
        assertThat(errors).isEmpty();
    }

    private static Set<ValidationMessage> validate(String schemaFile, JsonNode artifact) throws IOException {
        Path schemas = Path.of(System.getProperty("soma.dbtSchemas", "../../shared/reference/dbt-artifacts"));
        Path schema = schemas.resolve(schemaFile);
        assumeTrue(Files.isRegularFile(schema), "dbt's schema " + schema + " is not at hand");
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(schema.toFile()));
        return validator.validate(artifact);
    }
}
