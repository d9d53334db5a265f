package dev.soma.cli.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.cli.CliRun;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationConfig;
import dev.soma.generator.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ci.md, step by step, on the bundled project: build production, keep its artifacts, change two models,
 * see which change is breaking, build only what changed (and what is built from it) against production with
 * {@code --defer}, diff the changed model between production and CI, report tests as JUnit XML, and retry
 * after a failure. Each step is one {@code soma} command line, as CI would type it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CiRecipeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    Path project;
    Path prodArtifacts;

    @BeforeAll
    void productionIsBuiltAndItsArtifactsKept(@TempDir Path temp) throws IOException {
        dir = temp;
        project = dir.resolve("models");
        copy(Path.of("..", "models"), project);
        String settings = Files.readString(project.resolve("soma_project.yml"));
        settings = settings.substring(0, settings.indexOf("targets:")) + """
                targets:
                  prod: {database: ../prod.duckdb, threads: 2}
                  ci: {database: ../ci.duckdb, threads: 2}
                default_target: ci
                """;
        Files.writeString(project.resolve("soma_project.yml"), settings);
        // the raw tables: production's, and CI's own copy (sources are never deferred, as in dbt)
        for (String db : List.of("prod.duckdb", "ci.duckdb")) {
            try (Warehouse warehouse = Warehouse.open(dir.resolve(db))) {
                Generator.with(GenerationConfig.defaults()).generate(warehouse);
            }
        }
        CliRun prod = soma("build", "--target", "prod", "--exclude", "sales_by_hour");
        assertThat(prod.exitCode()).as(prod.out() + prod.err()).isZero();
        prodArtifacts = dir.resolve("prod-artifacts");
        copy(project.resolve("target"), prodArtifacts);

        JsonNode manifest = JSON.readTree(prodArtifacts.resolve("manifest.json").toFile());
        JsonNode dimBooks = manifest.path("nodes").path("model.soma_content_analytics.dim_books");
        assertThat(dimBooks.path("database").asText()).as("the catalog of prod.duckdb").isEqualTo("prod");
        assertThat(manifest.path("metadata").path("env").path("SOMA_DATABASE_PATH").asText())
                .isEqualTo(dir.resolve("prod.duckdb").toAbsolutePath().normalize().toString());
        assertThat(dimBooks.path("depends_on").path("macros").toString()).contains("macro.soma_content_analytics.price_category");

        // the change under review: a column added to dim_books, a column's values changed in fact_sales
        edit("marts/dim_books.sql", "    b.price,\n", "    b.price,\n    b.price * 2 as list_price,\n");
        edit("marts/fact_sales.sql", "    s.customer_type,\n", "    upper(s.customer_type) as customer_type,\n");
    }

    @Test
    @Order(1)
    void lsSaysWhatChangedAndWhetherItBreaksWhatIsBuiltFromIt() {
        CliRun ls = soma("ls", "-s", "state:modified", "--state", prodArtifacts.toString(), "-o", "table");
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.out()).containsPattern("non-breaking +dim_books +column list_price added")
                .containsPattern("breaking +fact_sales +column customer_type changed");
        CliRun names = soma("ls", "-s", "state:modified", "--state", prodArtifacts.toString(), "-o", "name",
                "--resource-type", "model");
        assertThat(names.out().lines()).containsExactly("dim_books", "fact_sales");
        CliRun breaking = soma("ls", "-s", "state:modified.breaking+", "--state", prodArtifacts.toString(), "-o", "name",
                "--resource-type", "model");
        assertThat(breaking.out().lines()).contains("fact_sales", "book_features").doesNotContain("dim_books");
    }

    @Test
    @Order(2)
    void ciBuildsTheChangedModelsAndTheirChildrenReadingTheRestFromProduction() throws Exception {
        CliRun build = soma("build", "-s", "state:modified+", "--defer", "--state", prodArtifacts.toString(),
                "--junit-xml", dir.resolve("reports/junit.xml").toString());
        assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
        try (Warehouse ci = Warehouse.open(dir.resolve("ci.duckdb"))) {
            assertThat(ci.relationExists("analytics", "dim_books")).isTrue();
            assertThat(ci.relationExists("analytics", "fact_sales")).isTrue();
            assertThat(ci.relationExists("staging", "stg_books")).as("read from production, not built").isFalse();
            assertThat(ci.queryLong(null, "select count(*) from analytics.fact_sales where customer_type <> upper(customer_type)"))
                    .isZero();
        }
        JsonNode results = JSON.readTree(project.resolve("target/run_results.json").toFile());
        assertThat(results.path("args").path("defer").asBoolean()).isTrue();
        assertThat(results.path("args").path("which").asText()).isEqualTo("build");

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("reports/junit.xml").toFile());
        Element suite = junit.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        NodeList cases = suite.getElementsByTagName("testcase");
        long tests = 0;
        List<String> unitTests = new ArrayList<>();
        for (JsonNode result : results.path("results")) {
            String id = result.path("unique_id").asText();
            tests += id.startsWith("test.") || id.startsWith("unit_test.") ? 1 : 0;
            if (id.startsWith("unit_test.")) {
                unitTests.add(id);
            }
        }
        // a data test or a unit test is one testcase; the unit tests of the unchanged staging models are not run
        assertThat(unitTests).as("unit tests of the changed fact_sales only").isNotEmpty()
                .allMatch(id -> id.contains(".fact_sales."));
        assertThat(cases.getLength()).isEqualTo(tests).isPositive();
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(tests));
    }

    @Test
    @Order(3)
    void diffShowsTheAddedColumnBetweenProductionAndCi() throws IOException {
        CliRun text = soma("diff", "dim_books", "--target-a", "prod", "--target-b", "ci");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("schema: list_price only in b").contains("only in a 0  only in b 0");
        CliRun json = soma("diff", "fact_sales", "--target-a", "prod", "--target-b", "ci", "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode diff = JSON.readTree(json.out());
        assertThat(diff.path("key").toString()).contains("transaction_id");
        assertThat(diff.path("onlyInA").asLong()).isZero();
        assertThat(diff.path("onlyInB").asLong()).isZero();
        assertThat(diff.path("matched").asLong()).isEqualTo(diff.path("rowsA").asLong()).isPositive();
        JsonNode customerType = null;
        for (JsonNode column : diff.path("columns")) {
            if (column.path("column").asText().equals("customer_type")) {
                customerType = column;
            } else {
                assertThat(column.path("differing").asLong()).as(column.path("column").asText()).isZero();
            }
        }
        assertThat(customerType).isNotNull();
        assertThat(customerType.path("differing").asLong()).isEqualTo(diff.path("matched").asLong());
        assertThat(customerType.path("share").asDouble()).isEqualTo(1.0);
        assertThat(customerType.path("samples").size()).isEqualTo(5);
        assertThat(customerType.path("samples").get(0).has("transaction_id")).isTrue();
        CliRun state = soma("diff", "dim_books", "--state", prodArtifacts.toString());
        assertThat(state.exitCode()).as(state.err()).isZero();
        assertThat(state.out()).contains("a: state").contains("schema: list_price only in b");
    }

    @Test
    @Order(4)
    void retryRerunsTheFailedModelAndWhatItSkipped() throws IOException {
        String good = Files.readString(project.resolve("marts/fact_sales.sql"));
        Files.writeString(project.resolve("marts/fact_sales.sql"), good.replace("upper(s.customer_type)", "upper(s.no_such_column)"));
        CliRun failed = soma("build", "-s", "state:modified+", "--defer", "--state", prodArtifacts.toString());
        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
        Files.writeString(project.resolve("marts/fact_sales.sql"), good);
        CliRun retry = soma("retry");
        assertThat(retry.exitCode()).as(retry.out() + retry.err()).isZero();
        assertThat(retry.out()).contains("retrying ").contains("of the last build");
        JsonNode results = JSON.readTree(project.resolve("target/run_results.json").toFile());
        List<String> rerun = new ArrayList<>();
        results.path("results").forEach(r -> rerun.add(r.path("unique_id").asText()));
        assertThat(rerun).contains("model.soma_content_analytics.fact_sales", "model.soma_content_analytics.book_features")
                .doesNotContain("model.soma_content_analytics.dim_books");
        assertThat(results.path("args").path("defer").asBoolean()).as("the same flags").isTrue();
        CliRun again = soma("retry");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("nothing to retry");
    }

    @Test
    @Order(5)
    void mistakesAreUsageErrors() {
        CliRun typo = soma("build", "-s", "dim_books", "--bogus");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("--bogus");
        CliRun noState = soma("ls", "-s", "state:modified");
        assertThat(noState.exitCode()).isEqualTo(2);
        assertThat(noState.err()).contains("--state DIR");
        CliRun missing = soma("build", "-s", "state:modified", "--state", dir.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--state names no folder");
        CliRun deferAlone = soma("build", "--defer");
        assertThat(deferAlone.exitCode()).isEqualTo(2);
        assertThat(deferAlone.err()).contains("--state DIR");
    }

    @Test
    @Order(6)
    void retryWithoutAPreviousRunSaysSo() throws IOException {
        Files.deleteIfExists(project.resolve("target/run_results.json"));
        CliRun retry = soma("retry");
        assertThat(retry.exitCode()).isEqualTo(2);
        assertThat(retry.err()).contains("no previous run to retry");
    }

    private CliRun soma(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--project-dir");
        all.add(project.toString());
        return CliRun.of(all.toArray(String[]::new));
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = project.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).startsWith("target") || from.endsWith("target")).toList()) {
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
