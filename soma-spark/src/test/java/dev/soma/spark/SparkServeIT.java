package dev.soma.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.server.SomaServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code soma serve}'s read-only endpoints on a Spark target, over real HTTP. */
class SparkServeIT {

    private static final SqlOwner OWNER = SqlOwner.soma("test");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path project;
    private static Warehouse warehouse;
    private static Soma soma;
    private static SomaServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void setUp() throws IOException {
        warehouse = SharedSpark.warehouse();
        warehouse.createSchema("serve_raw");
        warehouse.execute(OWNER, "CREATE OR REPLACE TABLE iceberg.serve_raw.books USING iceberg AS SELECT * FROM VALUES "
                + "('B1', 'The Hobbit', 'Fiction', 12), ('B2', 'Dune', 'Fiction', 9), ('B3', 'Cosmos', 'Science', 7), "
                + "('B4', 'It''s Tolkien', 'Biography', 3), ('B5', 'SQL', 'Tech', 1) AS t(book_id, title, genre, sold)");
        write("soma_project.yml", """
                name: serve
                version: 1.0.0
                models:
                  marts: {materialized: table, schema: serve_marts}
                targets:
                  spark: {engine: spark, master: "local[2]"}
                default_target: spark
                """);
        write("sources.yml", """
                sources:
                  - name: raw
                    schema: serve_raw
                    tables:
                      - name: books
                """);
        write("marts/dim_books.sql", "select book_id, title, genre, sold from ${source(\"raw\", \"books\")}\n");
        write("marts/_marts.yml", """
                models:
                  - name: dim_books
                    description: One row per book.
                    columns:
                      - name: book_id
                        tests: [unique, not_null]
                """);
        soma = Soma.builder().project(project).warehouse(warehouse).threads(2).build();
        RunResult built = soma.build(Selection.all());
        assertThat(built.failures()).isEmpty();
        server = SomaServer.builder().soma(soma).warehouse(warehouse).port(0).build().start();
    }

    @AfterAll
    static void tearDown() {
        server.close();
        soma.close();
        warehouse.close();
    }

    @Test
    void healthSaysTheDatabaseAnswersAndNamesTheLastRun() throws Exception {
        JsonNode health = get("/health", 200);
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("database").path("reachable").asBoolean()).isTrue();
        assertThat(health.path("database").path("location").asText()).contains("spark");
        assertThat(health.path("last_run").path("command").asText()).isEqualTo("build");
    }

    @Test
    void modelsListsTheProjectWithLastStatusAndBuiltColumns() throws Exception {
        JsonNode models = get("/models", 200);
        List<String> names = new ArrayList<>();
        models.path("models").forEach(m -> names.add(m.path("name").asText()));
        assertThat(names).contains("dim_books", "raw.books");
        JsonNode one = get("/models/dim_books", 200);
        assertThat(one.path("relation").asText()).isEqualTo("serve_marts.dim_books");
        assertThat(one.path("columns").toString()).contains("book_id").contains("string");
        assertThat(one.path("tests").toString()).contains("unique_dim_books_book_id").contains("pass");
    }

    @Test
    void dataPagesFiltersAndSearchesARelation() throws Exception {
        JsonNode first = get("/data/dim_books?page_size=2", 200);
        assertThat(first.path("total").asLong()).isEqualTo(5);
        assertThat(first.path("has_more").asBoolean()).isTrue();
        assertThat(first.path("rows").get(0).path("book_id").asText()).isEqualTo("B1");
        JsonNode third = get("/data/dim_books?page_size=2&page=3", 200);
        assertThat(third.path("rows")).hasSize(1);
        assertThat(third.path("has_more").asBoolean()).isFalse();
        JsonNode fiction = get("/data/dim_books?genre=Fiction", 200);
        assertThat(fiction.path("total").asLong()).isEqualTo(2);
        JsonNode search = get("/data/dim_books?search=tolkien", 200);
        assertThat(search.path("rows").get(0).path("title").asText()).isEqualTo("It's Tolkien");
        JsonNode unknown = get("/data/dim_books?colour=red", 404);
        assertThat(unknown.path("known").toString()).contains("genre");
        get("/data/dim_books?after=4", 400);
    }

    @Test
    void runsAndLineageAnswer() throws Exception {
        JsonNode runs = get("/runs?limit=5", 200);
        String runId = runs.path("runs").get(0).path("run_id").asText();
        JsonNode run = get("/runs/" + runId, 200);
        assertThat(run.path("nodes").toString()).contains("dim_books");
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/lineage")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Soma · lineage");
        // The page draws what /models answers.
        assertThat(get("/models", 200).path("models").toString()).contains("depends_on");
    }

    private static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri().toString().replaceAll("/$", "")
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static void write(String file, String text) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
