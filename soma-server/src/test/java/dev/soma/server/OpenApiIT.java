package dev.soma.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /openapi.json} describes every route the router knows, every answer it gives (a schema per status, the
 * error shape for the rest), the bearer token on writes only, and a server; the answers of a real server validate
 * against it, errors included. The document's schemas are exactly those {@link OpenApiSchemas} derives from the
 * records the handlers answer with.
 */
class OpenApiIT {

    private static final String TOKEN = "doc-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.inFile("doc.duckdb")
            .echoJobQueue("{}")
            .options(server -> server.ingest(null).token(TOKEN));
    static JsonNode document;

    @BeforeAll
    static void readTheDocument() {
        document = fixture.http().get("/openapi.json").json();
    }

    @Test
    void theDocumentHasTheStructureAGeneratedClientNeeds() throws IOException {
        JsonSchema structure;
        try (InputStream in = OpenApiIT.class.getResourceAsStream("/openapi-structure.schema.json")) {
            structure = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
        }
        assertThat(structure.validate(document)).isEmpty();
        // Every reference points at something.
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        assertThat(document.get("servers").get(0).get("url").asText()).isNotBlank();
    }

    @Test
    void theSchemasAreThoseOfTheAnswerRecords() {
        assertThat(document.at("/components/schemas"))
                .as("openapi.json's schemas differ from the records; run OpenApiSchemas.main(path to openapi.json)")
                .isEqualTo(OpenApiSchemas.schemas());
        JsonNode model = document.at("/components/schemas/ModelSummary");
        assertThat(model.get("required").toString()).contains("last_status");
        assertThat(model.at("/properties/last_status/nullable").asBoolean()).isTrue();
    }

    @Test
    void everyRouteIsDescribedWithItsAnswersAndWritesNeedTheBearerToken() {
        assertThat(fixture.server().routes()).hasSizeGreaterThan(15);
        for (String route : fixture.server().routes()) {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            JsonNode operation = document.at("/paths").path(path).path(method);
            assertThat(operation.isObject()).as(route + " is in openapi.json").isTrue();
            JsonNode responses = operation.get("responses");
            assertThat(responses.has("200") || responses.has("201")).as(route).isTrue();
            assertThat(responses.has("default")).as(route).isTrue();
            if (method.equals("post")) {
                assertThat(operation.at("/security/0").has("bearer")).as(route).isTrue();
                assertThat(responses.has("401") && responses.has("403")).as(route).isTrue();
            } else {
                assertThat(operation.has("security")).as(route + " is a read: no token").isFalse();
            }
            for (String param : List.of("limit", "page", "page_size", "before", "state")) {
                boolean takes = false;
                for (JsonNode p : operation.path("parameters")) {
                    takes |= p.get("name").asText().equals(param);
                }
                if (takes) {
                    assertThat(responses.has("400")).as(route + " answers 400 for a bad " + param).isTrue();
                }
            }
        }
    }

    @Test
    void realAnswersValidateAgainstTheDocument() {
        String run = fixture.http().get("/runs").json().at("/runs/0/run_id").asText();
        long job = fixture.http().get("/jobs").json().at("/jobs/0/id").asLong();
        check("GET", "/health", "/health", null, 200);
        check("GET", "/stats", "/stats", null, 200);
        check("GET", "/runs", "/runs", null, 200);
        check("GET", "/runs?limit=abc", "/runs", null, 400);
        check("GET", "/runs?limit=0", "/runs", null, 400);
        check("GET", "/runs/" + run, "/runs/{id}", null, 200);
        check("GET", "/runs/nope", "/runs/{id}", null, 404);
        check("GET", "/models", "/models", null, 200);
        check("GET", "/models/dim_books", "/models/{name}", null, 200);
        check("GET", "/models/nope", "/models/{name}", null, 404);
        check("GET", "/data/dim_books?page_size=3", "/data/{model}", null, 200);
        check("GET", "/data/dim_books?page=x", "/data/{model}", null, 400);
        check("GET", "/data/nope", "/data/{model}", null, 404);
        check("GET", "/jobs", "/jobs", null, 200);
        check("GET", "/jobs?limit=9999", "/jobs", null, 400);
        check("GET", "/jobs/" + job, "/jobs/{id}", null, 200);
        check("GET", "/jobs/424242", "/jobs/{id}", null, 404);
        check("GET", "/loads", "/loads", null, 404);
        check("GET", "/loads?limit=x", "/loads", null, 400);
        check("GET", "/windows", "/windows", null, 200);
        check("GET", "/lineage/layout.json", "/lineage/layout.json", null, 200);
        check("GET", "/windows?limit=x", "/windows", null, 400);
        check("POST", "/jobs", "/jobs", "{\"kind\":\"echo\",\"payload\":{\"a\":1}}", 201);
        check("POST", "/jobs", "/jobs", "{\"kind\":\"nope\"}", 400);
        check("POST", "/jobs/process", "/jobs/process", "", 200);
        check("POST", "/jobs/" + job + "/retry", "/jobs/{id}/retry", "", 409);
        check("POST", "/publish", "/publish", "", 409);
        check("DELETE", "/health", "/health", null, 405);
        // Every model carries last_status, null when it never ran (sources never do).
        for (JsonNode model : fixture.http().get("/models").json().get("models")) {
            assertThat(model.has("last_status")).as(model.toString()).isTrue();
        }
    }

    private static void check(String method, String rawPath, String template, String body, int status) {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.server().uri().resolve(rawPath));
        if (method.equals("POST")) {
            request.POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + TOKEN);
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        Http.Answer answer = fixture.http().send(request);
        assertThat(answer.status()).as(method + " " + rawPath + ": " + answer.body()).isEqualTo(status);
        JsonNode operation = document.at("/paths").path(template).path(method.toLowerCase(Locale.ROOT));
        JsonNode responses = operation.isMissingNode() ? document.at("/paths").path(template).elements().next()
                .get("responses") : operation.get("responses");
        boolean listed = responses.has(String.valueOf(status));
        assertThat(listed || status == 405).as(method + " " + rawPath + " answers " + status + ", which the document lists")
                .isTrue();
        JsonNode response = responses.path(listed ? String.valueOf(status) : "default");
        if (response.has("$ref")) {
            response = document.at(response.get("$ref").asText().substring(1));
        }
        JsonNode schema = response.at("/content/application~1json/schema");
        assertThat(schema.isMissingNode()).as(method + " " + rawPath).isFalse();
        Set<ValidationMessage> problems = validator(schema).validate(answer.json());
        assertThat(problems).as(method + " " + rawPath + " -> " + answer.body()).isEmpty();
    }

    /** A validator for one schema of the document, its references resolved within it (OpenAPI 3.0 dialect). */
    private static JsonSchema validator(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.setAll((ObjectNode) schema.deepCopy());
        root.set("components", document.get("components"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                        builder -> builder.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()))
                .getSchema(root);
    }

    @Test
    void theValidatorCatchesAWrongShape() throws IOException {
        JsonSchema error = validator(JSON.readTree("{\"$ref\": \"#/components/schemas/Error\"}"));
        assertThat(error.validate(JSON.readTree("{\"status\": \"x\"}"))).hasSizeGreaterThanOrEqualTo(2);
        JsonSchema models = validator(JSON.readTree("{\"$ref\": \"#/components/schemas/ModelList\"}"));
        assertThat(models.validate(JSON.readTree("{\"project\": \"p\", \"models\": [{\"name\": \"m\"}]}")))
                .as("last_status is required").isNotEmpty();
        assertThat(models.validate(JSON.readTree("{\"project\": \"p\", \"models\": [{\"name\": \"m\", \"last_status\": null}]}")))
                .isEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.equals("$ref")) {
                    refs.add(node.get(name).asText());
                } else {
                    collectRefs(node.get(name), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
