package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.UnknownNodeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every kind of data test, on data with planted bad rows whose counts are known. */
class DataTestsIT {

    private static final SqlOwner SETUP = SqlOwner.loader("fixture");
    /** Four days after the rows were loaded: past warn_after (2 days), within error_after (7 days). */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-05T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Warehouse warehouse;

    @BeforeEach
    void data() {
        warehouse = Warehouse.inMemory();
        warehouse.createSchema("raw");
        warehouse.execute(SETUP, """
                CREATE TABLE raw.items AS SELECT * FROM (VALUES
                  (1, 'one',   'a', 10.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (2, 'two',   'b', 20.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (3, 'three', 'c', 30.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (3, 'three', 'c', 31.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (4, NULL,    'a', 40.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (5, 'five',  'z', 50.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (6, NULL,    'b', 60.0, TIMESTAMP '2024-06-01 00:00:00'),
                  (7, 'seven', 'c', -5.0, TIMESTAMP '2024-06-01 00:00:00')
                ) t(id, name, category, price, created_at);
                CREATE TABLE raw.parents AS SELECT range AS id FROM range(1, 6);
                CREATE TABLE raw.children AS SELECT * FROM (VALUES (1, 1), (2, 5), (3, 6), (4, 7), (5, NULL)) t(id, parent_id);
                """);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private ProjectFixture project() {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", """
                        sources:
                          - name: raw
                            tables:
                              - name: items
                                loaded_at_field: created_at
                                freshness: {warn_after: {count: 2, period: day}, error_after: {count: 7, period: day}}
                              - name: parents
                              - name: children
                        """)
                .file("staging/stg_items.sql", "select * from ${source('raw', 'items')}")
                .file("staging/stg_parents.sql", "select * from ${source('raw', 'parents')}")
                .file("staging/stg_children.sql", "select * from ${source('raw', 'children')}")
                .file("marts/item_summary.sql", "select category, count(*) as n from ${ref('stg_items')} group by category")
                .file("marts/parent_summary.sql", "select count(*) as n from ${ref('stg_parents')}")
                .file("staging/_staging.yml", """
                        models:
                          - name: stg_items
                            tests:
                              - row_count: {min_value: 3}
                              - not_empty
                              - unique_combination_of_columns: {combination_of_columns: [id, category]}
                              - expression_is_true: {expression: "price < 1000"}
                            columns:
                              - name: id
                                tests: [unique, not_null]
                              - name: name
                                tests:
                                  - not_null: {config: {severity: warn}}
                              - name: category
                                tests:
                                  - accepted_values: {values: [a, b, c], config: {tags: [quality]}}
                              - name: price
                                tests:
                                  - accepted_range: {min_value: 0, max_value: 100}
                                  - accepted_range: {min_value: 0, max_value: 100, config: {where: "id <> 7"}}
                                  - is_positive: {threshold: 0}
                          - name: stg_children
                            columns:
                              - name: parent_id
                                tests:
                                  - relationships:
                                      to: ref('stg_parents')
                                      field: id
                                      config: {store_failures: true}
                        """)
                .file("tests/generic/is_positive.sql", "select * from ${model} where ${column_name} <= ${threshold}")
                .file("tests/assert_no_free_items.sql", "select * from ${ref('stg_items')} where price = 0");
    }

    private static Map<String, String> outcomes(RunResult result) {
        return result.results().stream().collect(Collectors.toMap(NodeResult::name,
                r -> r.status().label() + (r.failures() >= 0 ? " " + r.failures() : ""), (a, b) -> a, TreeMap::new));
    }

    @Test
    void everyTestTypeGivesTheRightStatusAndCount() {
        try (Soma soma = project().soma(warehouse).clock(CLOCK).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
            RunResult result = soma.test(Selection.all());
            assertThat(outcomes(result)).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                    Map.entry("accepted_range_stg_items_price", "fail 1"),
                    Map.entry("accepted_range_stg_items_price_2", "pass 0"),
                    Map.entry("accepted_values_stg_items_category", "fail 1"),
                    Map.entry("assert_no_free_items", "pass 0"),
                    Map.entry("expression_is_true_stg_items", "pass 0"),
                    Map.entry("is_positive_stg_items_price", "fail 1"),
                    Map.entry("not_empty_stg_items", "pass 0"),
                    Map.entry("not_null_stg_items_id", "pass 0"),
                    Map.entry("not_null_stg_items_name", "warn 2"),
                    Map.entry("relationships_stg_children_parent_id", "fail 2"),
                    Map.entry("row_count_stg_items", "pass 0"),
                    Map.entry("source_freshness_raw_items", "warn 1"),
                    Map.entry("unique_combination_of_columns_stg_items", "fail 1"),
                    Map.entry("unique_stg_items_id", "fail 1"))));
            assertThat(result.isSuccess()).isFalse();

            NodeResult unique = result.result("unique_stg_items_id");
            assertThat(unique.samples()).hasSize(1);
            assertThat(unique.samples().get(0)).containsEntry("id", 3);
            assertThat(unique.compiledPath()).isEqualTo(soma.targetDir().resolve("compiled/tests/unique_stg_items_id.sql"));
            assertThat(result.result("accepted_values_stg_items_category").samples().get(0)).containsEntry("category", "z");
            assertThat(result.result("source_freshness_raw_items").message())
                    .isEqualTo("stale: newest created_at is 4 days old, over warn_after 2 days");
        }
    }

    @Test
    void sharedScansGiveTheSameResultsAsOneQueryPerTest() {
        try (Soma folded = project().soma(warehouse).clock(CLOCK).build();
             Soma separate = project().soma(warehouse).clock(CLOCK).foldTests(false).build()) {
            folded.run(Selection.all());
            assertThat(outcomes(folded.test(Selection.all()))).isEqualTo(outcomes(separate.test(Selection.all())));
        }
    }

    /**
     * A view that counts how often it is scanned: the one-row subquery calls {@code nextval} once per
     * query that reads the view, so the sequence's last value is the number of scans so far.
     */
    private ProjectFixture counted() {
        warehouse.execute(SETUP, "CREATE SEQUENCE raw.scans");
        return ProjectFixture.in(dir.resolve("counted"))
                .file("sources.yml", "sources:\n  - name: raw\n    tables:\n      - name: items\n")
                .file("staging/counted.sql", """
                        select i.* from ${source('raw', 'items')} i, (select nextval('raw.scans') as scan) s where s.scan > 0
                        """);
    }

    private long scans() {
        // duckdb_sequences(), not currval(): the scans happen on the workers' connections.
        return warehouse.queryLong(SETUP, "SELECT coalesce(last_value, 0) FROM duckdb_sequences() WHERE sequence_name = 'scans'");
    }

    @Test
    void columnChecksOnAViewShareOneScan() {
        ProjectFixture fixture = counted().file("staging/_counted.yml", """
                models:
                  - name: counted
                    columns:
                      - name: id
                        tests: [not_null]
                      - name: category
                        tests: [not_null]
                      - name: price
                        tests:
                          - accepted_range: {min_value: -10, max_value: 100}
                      - name: created_at
                        tests: [not_null]
                """);
        try (Soma folded = fixture.soma(warehouse).clock(CLOCK).build()) {
            folded.run(Selection.all());
            long before = scans();
            RunResult result = folded.test(Selection.all());
            assertThat(result.count(NodeStatus.PASS)).isEqualTo(4);
            assertThat(scans() - before).as("scans of the view for 4 folded checks").isEqualTo(1);
        }
        try (Soma separate = fixture.soma(warehouse).clock(CLOCK).foldTests(false).build()) {
            long before = scans();
            separate.test(Selection.all());
            assertThat(scans() - before).as("scans of the view for 4 checks, one query each").isEqualTo(4);
        }
    }

    @Test
    void aFailingTestRunsItsQueryOnce() {
        ProjectFixture fixture = counted()
                .file("tests/no_nameless_items.sql", "select * from ${ref('counted')} where name is null")
                .file("tests/no_cheap_items.sql", """
                        <@config store_failures=true/>
                        select * from ${ref('counted')} where price < 15
                        """);
        try (Soma soma = fixture.soma(warehouse).clock(CLOCK).build()) {
            soma.run(Selection.all());
            long before = scans();
            NodeResult nameless = soma.test(Selection.of("no_nameless_items")).result("no_nameless_items");
            assertThat(nameless.failures()).isEqualTo(2);
            assertThat(nameless.samples()).hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("name", null)
                    .doesNotContainKey("soma_failing_rows"));
            assertThat(scans() - before).as("count and samples from one query").isEqualTo(1);

            before = scans();
            NodeResult cheap = soma.test(Selection.of("no_cheap_items")).result("no_cheap_items");
            assertThat(cheap.failures()).isEqualTo(2);
            assertThat(cheap.samples()).extracting(row -> row.get("id")).containsExactlyInAnyOrder(1, 7);
            assertThat(warehouse.queryLong(SETUP, "SELECT count(*) FROM soma_test_failures.no_cheap_items")).isEqualTo(2);
            assertThat(scans() - before).as("stored, then counted and sampled from the stored rows").isEqualTo(1);
        }
    }

    @Test
    void storeFailuresKeepsTheFailingRows() {
        try (Soma soma = project().soma(warehouse).clock(CLOCK).build()) {
            soma.run(Selection.all());
            RunResult result = soma.test(Selection.of("stg_children"));
            assertThat(result.result("relationships_stg_children_parent_id").message())
                    .isEqualTo("2 failing rows; stored in soma_test_failures.relationships_stg_children_parent_id");
            assertThat(warehouse.queryLong(SETUP, "SELECT sum(parent_id) FROM soma_test_failures.relationships_stg_children_parent_id"))
                    .isEqualTo(13);
        }
    }

    @Test
    void testsAreSelectableByModelTagTestNameAndName() {
        try (Soma soma = project().soma(warehouse).clock(CLOCK).build()) {
            soma.run(Selection.all());
            assertThat(outcomes(soma.test(Selection.of("stg_children")))).containsOnlyKeys("relationships_stg_children_parent_id");
            assertThat(outcomes(soma.test(Selection.of("tag:quality")))).containsOnlyKeys("accepted_values_stg_items_category");
            assertThat(outcomes(soma.test(Selection.of("test_name:unique")))).containsOnlyKeys("unique_stg_items_id");
            assertThat(outcomes(soma.test(Selection.of("not_null_stg_items_name")))).containsOnlyKeys("not_null_stg_items_name");
            assertThat(outcomes(soma.test(Selection.of("test_type:singular")))).containsOnlyKeys("assert_no_free_items");
            assertThat(outcomes(soma.test(Selection.of("source:raw.items")))).containsOnlyKeys("source_freshness_raw_items");
            assertThat(outcomes(soma.test(Selection.of("stg_items").excluding("test_name:accepted_range"))))
                    .doesNotContainKeys("accepted_range_stg_items_price", "accepted_range_stg_items_price_2")
                    .containsKey("unique_stg_items_id");
        }
    }

    @Test
    void limitCapsTheFailingRowsCounted() {
        ProjectFixture fixture = project().file("staging/_limited.yml", """
                models:
                  - name: item_summary
                    columns:
                      - name: n
                        tests:
                          - accepted_range: {max_value: 1, name: capped_range, config: {limit: 1}}
                          - accepted_range: {max_value: 1, name: uncapped_range}
                """);
        try (Soma soma = fixture.soma(warehouse).clock(CLOCK).build()) {
            soma.run(Selection.all());
            RunResult result = soma.test(Selection.of("capped_range uncapped_range"));
            assertThat(result.result("uncapped_range").failures()).isEqualTo(3);
            assertThat(result.result("capped_range").failures()).isEqualTo(1);
            assertThat(result.result("capped_range").samples()).hasSize(1);
        }
    }

    @Test
    void onlyWarningsIsASuccess() {
        try (Soma soma = project().soma(warehouse).clock(CLOCK).build()) {
            soma.run(Selection.all());
            RunResult result = soma.test(Selection.of("not_null_stg_items_name source_freshness_raw_items"));
            assertThat(result.count(NodeStatus.WARN)).isEqualTo(2);
            assertThat(result.isSuccess()).isTrue();
        }
    }

    @Test
    void buildSkipsWhatIsDownstreamOfAFailedTest() {
        try (Soma soma = project().soma(warehouse).clock(CLOCK).build()) {
            RunResult result = soma.build(Selection.all());
            Map<String, String> outcomes = outcomes(result);
            assertThat(outcomes.get("stg_items")).as(result.results().toString()).startsWith("success");
            assertThat(outcomes.get("unique_stg_items_id")).isEqualTo("fail 1");
            assertThat(outcomes.get("item_summary")).isEqualTo("skipped");
            assertThat(result.result("item_summary").message()).startsWith("skipped: upstream ").endsWith(" fail");
            assertThat(outcomes.get("parent_summary")).startsWith("success");
            assertThat(warehouse.relationExists("analytics", "item_summary")).isFalse();
            assertThat(warehouse.relationExists("analytics", "parent_summary")).isTrue();
            // Every test of stg_items ran before anything downstream of it was considered.
            assertThat(outcomes.get("not_null_stg_items_name")).isEqualTo("warn 2");
        }
    }

    @Test
    void aStaleSourceFailsTheBuildButSkipsNothing() {
        warehouse.execute(SETUP, """
                DELETE FROM raw.items WHERE price < 0 OR category = 'z' OR name IS NULL OR price = 31.0;
                DELETE FROM raw.children WHERE parent_id > 5;
                """);
        Clock weeksLater = Clock.fixed(Instant.parse("2024-06-20T00:00:00Z"), ZoneOffset.UTC);
        try (Soma soma = project().soma(warehouse).clock(weeksLater).build()) {
            RunResult result = soma.build(Selection.all());
            assertThat(result.result("source_freshness_raw_items").status()).isEqualTo(NodeStatus.FAIL);
            assertThat(result.result("source_freshness_raw_items").message())
                    .isEqualTo("stale: newest created_at is 19 days old, over error_after 7 days");
            assertThat(result.isSuccess()).isFalse();
            assertThat(result.count(NodeStatus.SKIPPED)).isZero();
            assertThat(warehouse.relationExists("analytics", "item_summary")).isTrue();
        }
    }

    @Test
    void buildWithCleanDataBuildsEverything() {
        warehouse.execute(SETUP, """
                DELETE FROM raw.items WHERE price < 0 OR category = 'z' OR name IS NULL OR price = 31.0;
                DELETE FROM raw.children WHERE parent_id > 5;
                """);
        try (Soma soma = project().soma(warehouse).clock(CLOCK).build()) {
            RunResult result = soma.build(Selection.all());
            assertThat(result.failures()).isEmpty();
            assertThat(result.count(NodeStatus.SKIPPED)).isZero();
            assertThat(warehouse.relationExists("analytics", "item_summary")).isTrue();
        }
    }

    @Test
    void aColumnThatDoesNotExistNamesTheYamlLine() {
        ProjectFixture fixture = project().file("staging/_more.yml", """
                models:
                  - name: stg_parents
                    columns:
                      - name: idd
                        tests: [not_null]
                """);
        try (Soma soma = fixture.soma(warehouse).clock(CLOCK).build()) {
            soma.run(Selection.all());
            NodeResult result = soma.test(Selection.of("stg_parents")).result("not_null_stg_parents_idd");
            assertThat(result.status()).isEqualTo(NodeStatus.ERROR);
            assertThat(result.message()).isEqualTo("staging/_more.yml:5: test not_null_stg_parents_idd: column 'idd' does not "
                    + "exist in staging.stg_parents (did you mean 'id'?); fix the column name in the YAML");
        }
    }

    @Test
    void unknownTestsAndBadArgumentsFailAtLoadWithTheirLine() {
        ProjectException unknown = loadError("tests: [uniqe]");
        assertThat(unknown.location()).isEqualTo(new SourceLocation("staging/_bad.yml", 5, 17));
        // golden: the closest test, and how to write one that does not exist yet
        assertThat(unknown.getMessage()).contains("unknown test 'uniqe' (did you mean 'unique'?)")
                .contains("or write a custom one as tests/generic/uniqe.sql");

        // each mistake at the line that declares the test, naming what is wrong
        Map<String, String> mistakes = new LinkedHashMap<>();
        mistakes.put("tests: [{accepted_values: {valuez: [1]}}]", "'valuez'");
        mistakes.put("tests: [{relationships: {field: id}}]", "'to'");
        mistakes.put("tests: [{accepted_range: {min_value: [1]}}]", "min_value");
        mistakes.put("tests: [{not_null: {config: {severity: fatal}}}]", "'fatal'");
        mistakes.put("tests: [{is_positive: {}}]", "tests/generic/is_positive.sql");
        mistakes.forEach((declaration, names) -> {
            ProjectException e = loadError(declaration);
            assertThat(e.location().file()).as(declaration).isEqualTo("staging/_bad.yml");
            assertThat(e.location().line()).as(declaration).isEqualTo(5);
            assertThat(e.getMessage()).as(declaration).contains(names);
        });

        assertThat(loadError("tests: [{relationships: {to: ref('stg_parentz'), field: id}}]"))
                .isInstanceOfSatisfying(UnknownNodeException.class, e -> {
                    assertThat(e.location().line()).isEqualTo(5);
                    assertThat(e.name()).isEqualTo("stg_parentz");
                    assertThat(e.suggestion()).isEqualTo("stg_parents");
                });
    }

    /** The project error that loading a model with {@code tests} on its column fails with. */
    private ProjectException loadError(String tests) {
        ProjectFixture fixture = project().file("staging/_bad.yml", """
                models:
                  - name: stg_parents
                    columns:
                      - name: id
                        %s
                """.formatted(tests));
        Throwable thrown = catchThrowable(() -> fixture.soma(warehouse).build().close());
        assertThat(thrown).isInstanceOf(ProjectException.class);
        return (ProjectException) thrown;
    }
}
