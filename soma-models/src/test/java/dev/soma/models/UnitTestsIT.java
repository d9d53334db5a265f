package dev.soma.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.UnknownNodeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * dbt's unit tests, with dbt's documented behaviour as the oracle: only the expected columns are
 * compared, row order is ignored, NULLs are equal, inputs not given are empty, an incremental model's
 * test must say is_incremental (and give {@code this} when true). Soma's own: no warehouse is read.
 */
class UnitTestsIT {

    @TempDir
    Path dir;
    Warehouse warehouse;

    static final String SOURCES = """
            sources:
              - name: raw
                tables:
                  - name: books
                    columns:
                      - {name: book_id, data_type: varchar}
                      - {name: title, data_type: varchar}
                      - {name: price, data_type: double}
                  - name: sales
            """;

    static final String UNIT_TESTS = """
            unit_tests:
              - name: cleans_ids_and_titles
                model: stg_books
                description: ids upper-cased and trimmed, blank titles named, unpriced books dropped
                given:
                  - input: source('raw', 'books')
                    rows:
                      - {book_id: " b1 ", title: "  ", price: 10}
                      - {book_id: b2, title: Dune, price: null}
                      - {book_id: b3, title: null, price: 5.5}
                expect:
                  rows:
                    - {book_id: B3, title: untitled}
                    - {book_id: B1, title: untitled}
              - name: counts_new_books_only
                model: book_sales
                overrides:
                  macros: {is_incremental: true}
                given:
                  - input: ref('stg_books')
                    format: csv
                    rows: |
                      book_id,title,price
                      B1,One,1
                      B2,Two,2
                  - input: source('raw', 'sales')
                    rows: [{book_id: B1, quantity: 2}, {book_id: B2, quantity: 3}, {book_id: B2, quantity: 1}]
                  - input: this
                    format: sql
                    rows: select 'B1' as book_id
                expect:
                  format: csv
                  fixture: book_sales_expected
              - name: full_build
                model: book_sales
                overrides:
                  macros: {is_incremental: false}
                given:
                  - input: source('raw', 'sales')
                    rows: [{book_id: B1, quantity: 2}, {book_id: B1, quantity: 5}]
                  - input: ref('stg_books')
                    rows: [{book_id: B1, title: null}]
                expect:
                  rows: [{book_id: B1, title: null, copies: 7}]
                config: {tags: [fast]}
            """;

    @BeforeEach
    void open() {
        warehouse = Warehouse.inMemory();
        ProjectFixture.rawTables(warehouse);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private ProjectFixture project(String unitTests) {
        return ProjectFixture.in(dir)
                .file("sources.yml", SOURCES)
                .file("staging/stg_books.sql", """
                        select upper(trim(book_id)) as book_id, coalesce(nullif(trim(title), ''), 'untitled') as title, price
                        from ${source("raw", "books")}
                        where price is not null
                        """)
                .file("marts/book_sales.sql", """
                        <@config materialized="incremental" unique_key="book_id"/>
                        select b.book_id, b.title, sum(s.quantity) as copies
                        from ${ref("stg_books")} b join ${source("raw", "sales")} s using (book_id)
                        <#if is_incremental()>where b.book_id not in (select book_id from ${this})</#if>
                        group by 1, 2
                        """)
                .file("marts/top_books.sql", "select * from ${ref(\"book_sales\")} where copies > 1")
                .file("tests/fixtures/book_sales_expected.csv", "book_id,title,copies\nB2,Two,4\n")
                .file("marts/_unit_tests.yml", unitTests);
    }

    private static Map<String, NodeResult> byName(RunResult run) {
        return run.results().stream().collect(Collectors.toMap(NodeResult::name, Function.identity(), (a, b) -> a));
    }

    @Test
    void unitTestsPassOnGivenRowsWithoutReadingTheWarehouse() {
        try (Warehouse empty = Warehouse.inMemory();
             Soma soma = project(UNIT_TESTS).soma(empty).build()) {
            RunResult run = soma.test(Selection.of("test_type:unit"));
            assertThat(run.results()).extracting(NodeResult::name)
                    .containsExactlyInAnyOrder("cleans_ids_and_titles", "counts_new_books_only", "full_build");
            assertThat(run.results()).allSatisfy(r -> assertThat(r.status()).as(r.message()).isEqualTo(NodeStatus.PASS));
            assertThat(run.results()).allSatisfy(r -> assertThat(r.node().resourceType()).isEqualTo(ResourceType.UNIT_TEST));
            assertThat(run.results()).extracting(NodeResult::uniqueId)
                    .contains("unit_test.fixture.stg_books.cleans_ids_and_titles");
        }
    }

    @Test
    void aFailureShowsTheDifferingRowsAsATable() {
        String wrong = UNIT_TESTS.replace("copies: 7}", "copies: 6}");
        try (Soma soma = project(wrong).soma(warehouse).build()) {
            NodeResult result = byName(soma.test(Selection.of("full_build"))).get("full_build");
            assertThat(result.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(result.failures()).isEqualTo(2);
            assertThat(result.message()).contains("1 expected row missing, 1 row not expected")
                    .containsPattern("- \\| B1 +\\| null +\\| 6")
                    .containsPattern("\\+ \\| B1 +\\| null +\\| 7");
            assertThat(result.samples()).extracting(row -> row.get("diff")).containsExactly("-", "+");
        }
    }

    @Test
    void buildRunsUnitTestsFirstAndSkipsTheModelAndItsChildrenWhenOneFails() {
        String wrong = UNIT_TESTS.replace("- {book_id: B1, title: untitled}", "- {book_id: b1, title: untitled}");
        try (Soma soma = project(wrong).soma(warehouse).build()) {
            Map<String, NodeResult> results = byName(soma.build(Selection.all()));
            assertThat(results.get("cleans_ids_and_titles").status()).isEqualTo(NodeStatus.FAIL);
            assertThat(results.get("stg_books").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(results.get("book_sales").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(results.get("top_books").status()).isEqualTo(NodeStatus.SKIPPED);
        }
        try (Soma soma = project(UNIT_TESTS).soma(warehouse).build()) {
            RunResult run = soma.build(Selection.all());
            assertThat(run.results()).allSatisfy(r -> assertThat(r.status().isFailure()).as(r.name() + ": " + r.message()).isFalse());
            assertThat(byName(run).get("top_books").status()).isEqualTo(NodeStatus.SUCCESS);
        }
    }

    @Test
    void selectionListingAndArtifactsFollowDbt() throws Exception {
        try (Soma soma = project(UNIT_TESTS).soma(warehouse).build()) {
            assertThat(soma.list(Selection.of("test_type:unit"))).hasSize(3);
            assertThat(soma.list(Selection.of("test_type:data"))).isEmpty();
            assertThat(soma.list(Selection.of("tag:fast"))).extracting(NodeInfo::name).containsExactly("full_build");
            assertThat(soma.list(Selection.of("resource_type:unit_test"))).hasSize(3);
            // a model brings its unit tests, listed right after it
            assertThat(soma.list(Selection.of("book_sales"))).extracting(NodeInfo::name)
                    .containsExactly("book_sales", "counts_new_books_only", "full_build");
            assertThat(soma.list(Selection.of("+stg_books"))).extracting(NodeInfo::name)
                    .contains("raw.books", "stg_books", "cleans_ids_and_titles");
            assertThat(soma.list(Selection.of("stg_books").excluding("stg_books"))).isEmpty();

            soma.test(Selection.of("stg_books"));
            ObjectMapper json = new ObjectMapper();
            JsonNode manifest = json.readTree(Files.readString(soma.targetDir().resolve("manifest.json")));
            JsonNode unit = manifest.get("unit_tests").get("unit_test.fixture.stg_books.cleans_ids_and_titles");
            assertThat(unit.get("resource_type").asText()).isEqualTo("unit_test");
            assertThat(unit.get("model").asText()).isEqualTo("stg_books");
            assertThat(unit.get("depends_on").get("nodes").get(0).asText()).isEqualTo("model.fixture.stg_books");
            assertThat(manifest.get("nodes").has("unit_test.fixture.stg_books.cleans_ids_and_titles")).isFalse();
            JsonNode results = json.readTree(Files.readString(soma.targetDir().resolve("run_results.json"))).get("results");
            assertThat(results.findValuesAsText("unique_id")).contains("unit_test.fixture.stg_books.cleans_ids_and_titles");
        }
    }

    @Test
    void typesComeFromTheParentsCompiledSqlAndDeclaredTypes() {
        String tests = """
                unit_tests:
                  - name: typed_from_parent
                    model: book_sales
                    overrides: {macros: {is_incremental: false}}
                    given:
                      - input: ref('stg_books')
                        rows: [{book_id: B1, price: "2.5"}]
                      - input: source('raw', 'sales')
                        rows: [{book_id: B1, quantity: 1}]
                    expect:
                      rows: [{book_id: B1, copies: 1}]
                  - name: title_not_given
                    model: stg_books
                    given:
                      - input: source('raw', 'books')
                        rows: [{book_id: B1, price: 1}]
                    expect:
                      rows: [{book_id: B1}]
                  - name: wrong_type
                    model: stg_books
                    given:
                      - input: source('raw', 'books')
                        rows: [{book_id: B1, price: not-a-number}]
                    expect:
                      rows: [{book_id: B1}]
                """;
        try (Soma soma = project(tests).soma(warehouse).build()) {
            Map<String, NodeResult> results = byName(soma.test(Selection.of("test_type:unit")));
            assertThat(results.get("typed_from_parent").status()).as(results.get("typed_from_parent").message())
                    .isEqualTo(NodeStatus.PASS);
            assertThat(results.get("title_not_given").status()).isEqualTo(NodeStatus.PASS);
            assertThat(results.get("wrong_type").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(results.get("wrong_type").message()).contains("unit test wrong_type of model stg_books")
                    .contains("marts/_unit_tests.yml").contains("do not fit its columns").contains("price double");
        }
        String badColumn = tests.replace("rows: [{book_id: B1, price: \"2.5\"}]", "rows: [{book_id: B1, cost: 1}]");
        try (Soma soma = project(badColumn).soma(warehouse).build()) {
            NodeResult result = byName(soma.test(Selection.of("typed_from_parent"))).get("typed_from_parent");
            assertThat(result.status()).isEqualTo(NodeStatus.ERROR);
            assertThat(result.message()).contains("input ref('stg_books') has no column 'cost'; its columns are book_id, title, price");
        }
    }

    // --- bad input: one clear message at the declaring line -------------------------------------------

    private ProjectException loadError(String unitTests) {
        Throwable thrown = catchThrowable(() -> project(unitTests).soma(warehouse).build().close());
        assertThat(thrown).isInstanceOf(ProjectException.class);
        ProjectException error = (ProjectException) thrown;
        assertThat(error.location().file()).isEqualTo("marts/_unit_tests.yml");
        assertThat(error.location().line()).isEqualTo(2);
        return error;
    }

    private static String single(String body) {
        return "unit_tests:\n  - name: t\n" + body;
    }

    @Test
    void anUnknownModelIsNamedWithTheClosestOne() {
        Throwable thrown = catchThrowable(() -> project(single("""
                    model: stg_bok
                    given: []
                    expect: {rows: []}
                """)).soma(warehouse).build().close());
        assertThat(thrown).isInstanceOf(UnknownNodeException.class);
        assertThat(((UnknownNodeException) thrown).suggestion()).isEqualTo("stg_books");
        assertThat(thrown.getMessage()).contains("did you mean");
    }

    @Test
    void badInputsGetOneClearMessage() {
        assertThat(loadError(single("""
                    model: stg_books
                    given: [{input: "source('raw', 'books')", format: xml, rows: []}]
                    expect: {rows: []}
                """)).getMessage()).contains("unknown format 'xml'").contains("dict (the default), csv and sql");
        assertThat(loadError(single("""
                    model: stg_books
                    given: [{input: "ref('book_sales')", rows: []}]
                    expect: {rows: []}
                """)).getMessage()).contains("given input ref('book_sales') is not one that stg_books reads")
                .contains("its inputs are source('raw', 'books')");
        assertThat(loadError(single("""
                    model: stg_books
                    given: [{input: "source('raw', 'books')", format: csv, rows: [{a: 1}]}]
                    expect: {rows: []}
                """)).getMessage()).contains("do not match format csv");
        assertThat(loadError(single("""
                    model: stg_books
                    given: [{input: "source('raw', 'books')", rows: "book_id\\nB1"}]
                    expect: {rows: []}
                """)).getMessage()).contains("do not match format dict");
        assertThat(loadError(single("""
                    model: stg_books
                    given: []
                    expect: {format: csv, fixture: nowhere}
                """)).getMessage()).contains("fixture 'nowhere' not found: no file tests/fixtures/nowhere.csv");
    }

    @Test
    void anIncrementalModelsTestMustSayWhichRunItIs() {
        assertThat(loadError(single("""
                    model: book_sales
                    given: []
                    expect: {rows: []}
                """)).getMessage()).contains("the model is incremental").contains("is_incremental: true");
        assertThat(loadError(single("""
                    model: book_sales
                    overrides: {macros: {is_incremental: true}}
                    given: []
                    expect: {rows: []}
                """)).getMessage()).contains("add a given input 'this'");
    }

    @Test
    void inputsNotGivenAreEmptyAndADisabledTestIsGone() {
        try (Soma soma = project(single("""
                    model: stg_books
                    given: []
                    expect: {rows: []}
                  - name: untyped
                    model: top_books
                    given: []
                    expect: {rows: []}
                  - name: off
                    model: top_books
                    config: {enabled: false}
                    given: []
                    expect: {rows: [{book_id: x}]}
                """)).soma(warehouse).build()) {
            Map<String, NodeResult> results = byName(soma.test(Selection.of("test_type:unit")));
            assertThat(results).containsOnlyKeys("t", "untyped");
            assertThat(results.get("t").status()).as(results.get("t").message()).isEqualTo(NodeStatus.PASS);
            // raw.sales declares no columns, so book_sales cannot be typed on zero rows: said so, with the fix
            assertThat(results.get("untyped").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(results.get("untyped").message()).contains("cannot tell the columns of input ref('book_sales')")
                    .contains("give rows for it, or declare its columns with data_type");
        }
    }
}
