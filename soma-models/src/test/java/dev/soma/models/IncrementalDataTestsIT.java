package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of an incremental build check only its increment, and get what a full test gets on the same
 * data: random increments, some clean, some with a null, an out-of-range value, a dangling reference,
 * a duplicate key inside the increment or a key already in the table, for each strategy; after every
 * build the same tests run again with {@code fullTest(true)} and the two results must match, test by
 * test, in status and failing rows.
 */
class IncrementalDataTestsIT {

    private static final SqlOwner CHECK = SqlOwner.soma("check");
    private static final String INCREMENTAL = "this run added or changed";

    @TempDir
    Path dir;

    private ProjectFixture project(String strategy) {
        return ProjectFixture.in(dir.resolve(strategy.replace('+', '_')))
                .file("sources.yml", """
                        sources:
                          - name: app
                            schema: app
                            tables: [{name: events}]
                        """)
                .file("marts/refs.sql", "select range::INTEGER as id from range(0, 50)\n")
                .file("marts/events.sql", """
                        <@config materialized="incremental" unique_key="id" incremental_strategy="%s"/>
                        select id, grp, status, amount, ref, updated_at from ${source("app", "events")}
                        <#if is_incremental()>
                        where updated_at > (select max(updated_at) from ${this})
                        </#if>
                        """.formatted(strategy))
                .file("marts/_marts.yml", """
                        models:
                          - name: events
                            tests:
                              - unique_combination_of_columns: {combination_of_columns: [id, grp]}
                            columns:
                              - name: id
                                tests: [unique, not_null]
                              - name: status
                                tests:
                                  - accepted_values: {values: [a, b, c]}
                                  - not_null: {config: {where: "grp > 1"}}
                              - name: amount
                                tests:
                                  - accepted_range: {min_value: 0, max_value: 100, config: {severity: warn}}
                                  - expression_is_true: {expression: ">= -5"}
                              - name: ref
                                tests:
                                  - relationships: {to: ref('refs'), field: id}
                        """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"append", "merge", "delete+insert"})
    void incrementalResultsEqualFullResults(String strategy) {
        int incrementalChecks = 0;
        for (long seed = 1; seed <= 3; seed++) {
            incrementalChecks += compareOnRandomIncrements(strategy, seed);
        }
        // the comparison means something only if the increments were really tested on their own
        assertThat(incrementalChecks).as("tests that checked only an increment").isGreaterThan(20);
    }

    /** Returns how many test results checked only an increment. */
    private int compareOnRandomIncrements(String strategy, long seed) {
        Random random = new Random(seed);
        ProjectFixture fixture = project(strategy);
        int incrementalChecks = 0;
        try (Warehouse warehouse = Warehouse.inMemory()) {
            createEvents(warehouse);
            Events events = new Events(random);
            warehouse.execute(CHECK, events.insert(200, 0, Problem.NONE));
            try (Soma soma = fixture.soma(warehouse).build();
                 Soma full = fixture.soma(warehouse).fullTest(true).build()) {
                assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
                for (int round = 1; round <= 8; round++) {
                    Problem problem = round == 2 ? Problem.DUPLICATE_IN_INCREMENT
                            : round == 4 ? Problem.DUPLICATE_OF_HISTORY
                            : random.nextInt(3) == 0 ? Problem.values()[random.nextInt(Problem.values().length)] : Problem.NONE;
                    warehouse.execute(CHECK, events.insert(5 + random.nextInt(30), round, problem));
                    RunResult built = soma.build(Selection.of("events"));
                    assertThat(built.result("events").status()).as(built.result("events").message()).isEqualTo(NodeStatus.SUCCESS);
                    Map<String, String> incremental = outcomes(built);
                    RunResult tested = full.test(Selection.of("events"));
                    assertThat(tested.results()).noneMatch(r -> r.message().contains(INCREMENTAL));
                    assertThat(incremental).as("%s seed %d round %d (%s)", strategy, seed, round, problem)
                            .isEqualTo(outcomes(tested)).hasSize(8);
                    incrementalChecks += (int) built.results().stream().filter(r -> r.message().contains(INCREMENTAL)).count();
                    if (built.results().stream().anyMatch(r -> r.failures() > 0)) {
                        // repair: drop the bad rows, rebuild in full, so later rounds start from a clean table again
                        warehouse.execute(CHECK, "DELETE FROM app.events e WHERE bad OR EXISTS (SELECT 1 FROM app.events f "
                                + "WHERE f.id = e.id AND f.updated_at > e.updated_at)");
                        try (Soma refresh = fixture.soma(warehouse).fullRefresh(true).build()) {
                            assertThat(refresh.build(Selection.all()).isSuccess()).isTrue();
                        }
                    }
                }
            }
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM information_schema.tables "
                    + "WHERE table_name LIKE 'increment__%'")).as("increment tables dropped after each run").isZero();
        }
        return incrementalChecks;
    }

    /** The empty source table {@code app.events} the fixture project reads. */
    private static void createEvents(Warehouse warehouse) {
        warehouse.createSchema("app");
        warehouse.execute(CHECK, "CREATE TABLE app.events (id INTEGER, grp INTEGER, status VARCHAR, amount INTEGER, "
                + "ref INTEGER, updated_at INTEGER, bad BOOLEAN)");
    }

    @Test
    void fullRefreshAndFullTestAndTestAloneCheckEveryRow() {
        ProjectFixture fixture = project("append");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            createEvents(warehouse);
            Events events = new Events(new Random(7));
            warehouse.execute(CHECK, events.insert(100, 0, Problem.NONE));
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.build(Selection.all()).results()).noneMatch(r -> r.message().contains(INCREMENTAL));
                warehouse.execute(CHECK, events.insert(10, 1, Problem.NONE));
                RunResult incremental = soma.build(Selection.of("events"));
                List<String> checked = incremental.results().stream().filter(r -> r.message().contains(INCREMENTAL))
                        .map(NodeResult::name).toList();
                // row_count-like tests have none here; every test of the project scales with the increment
                assertThat(checked).hasSize(8);
                assertThat(incremental.results()).filteredOn(r -> r.message().contains(INCREMENTAL))
                        .allMatch(r -> r.message().contains("(checked the 10 rows " + INCREMENTAL + ")"));
                assertThat(soma.test(Selection.of("events")).results()).noneMatch(r -> r.message().contains(INCREMENTAL));
                warehouse.execute(CHECK, events.insert(10, 2, Problem.NONE));
                try (Soma fullTest = fixture.soma(warehouse).fullTest(true).build()) {
                    assertThat(fullTest.build(Selection.of("events")).results())
                            .noneMatch(r -> r.message().contains(INCREMENTAL));
                }
                warehouse.execute(CHECK, events.insert(10, 3, Problem.NONE));
                try (Soma refresh = fixture.soma(warehouse).fullRefresh(true).build()) {
                    assertThat(refresh.build(Selection.of("events")).results())
                            .noneMatch(r -> r.message().contains(INCREMENTAL));
                }
            }
        }
    }

    @Test
    void aTestThatFailedLastTimeChecksEveryRowUntilItPasses() {
        ProjectFixture fixture = project("append");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            createEvents(warehouse);
            Events events = new Events(new Random(11));
            warehouse.execute(CHECK, events.insert(100, 0, Problem.NONE));
            try (Soma soma = fixture.soma(warehouse).build()) {
                soma.build(Selection.all());
                warehouse.execute(CHECK, events.insert(10, 1, Problem.DUPLICATE_OF_HISTORY));
                RunResult failed = soma.build(Selection.of("events"));
                assertThat(failed.result("unique_events_id").status()).isEqualTo(NodeStatus.FAIL);
                assertThat(failed.result("unique_events_id").failures()).isEqualTo(1);
                warehouse.execute(CHECK, events.insert(10, 2, Problem.NONE));
                RunResult next = soma.build(Selection.of("events"));
                // the duplicate is in the history now: only a full test still sees it
                assertThat(next.result("unique_events_id").message()).doesNotContain(INCREMENTAL);
                assertThat(next.result("unique_events_id").failures()).isEqualTo(1);
                assertThat(next.result("not_null_events_id").message()).contains(INCREMENTAL);
            }
        }
    }

    @Test
    void aMergedKeyMatchingTwoRowsOfTheTableTestsEveryRow() {
        ProjectFixture fixture = project("merge");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            createEvents(warehouse);
            // id 5 twice in the history: unique fails from the start, the other tests pass
            warehouse.execute(CHECK, "INSERT INTO app.events VALUES (5, 2, 'a', 10, 1, 0, false), (5, 3, 'b', 20, 2, 0, false),"
                    + " (6, 2, 'c', 30, 3, 0, false)");
            try (Soma soma = fixture.soma(warehouse).build();
                 Soma full = fixture.soma(warehouse).fullTest(true).build()) {
                soma.build(Selection.all());
                // the merge updates both rows with id 5 to an amount out of range: two failing rows, not one
                warehouse.execute(CHECK, "INSERT INTO app.events VALUES (5, 4, 'a', 500, 1, 1, false)");
                RunResult built = soma.build(Selection.of("events"));
                assertThat(built.result("accepted_range_events_amount").failures()).isEqualTo(2);
                assertThat(built.results()).noneMatch(r -> r.message().contains(INCREMENTAL));
                assertThat(outcomes(built)).isEqualTo(outcomes(full.test(Selection.of("events"))));
            }
        }
    }

    private static Map<String, String> outcomes(RunResult result) {
        Map<String, String> outcomes = new TreeMap<>();
        for (NodeResult r : result.results()) {
            if (r.node().resourceType() == ResourceType.TEST) {
                outcomes.put(r.name(), r.status() + "/" + r.failures());
            }
        }
        return outcomes;
    }

    private enum Problem { NONE, NULL_STATUS, OUT_OF_RANGE, DANGLING_REF, DUPLICATE_IN_INCREMENT, DUPLICATE_OF_HISTORY, BAD_STATUS }

    /** Source rows: fresh ids counting up, values valid unless a problem is planted (marked {@code bad}). */
    private static final class Events {
        private final Random random;
        private final List<Integer> ids = new ArrayList<>();
        private int next = 1;

        Events(Random random) {
            this.random = random;
        }

        String insert(int rows, int round, Problem problem) {
            StringJoiner values = new StringJoiner(", ", "INSERT INTO app.events VALUES ", "");
            int planted = problem == Problem.NONE ? -1 : random.nextInt(rows);
            for (int i = 0; i < rows; i++) {
                int id = next++;
                String status = "'" + "abc".charAt(random.nextInt(3)) + "'";
                int amount = random.nextInt(101);
                int ref = random.nextInt(50);
                boolean bad = i == planted;
                if (bad) {
                    switch (problem) {
                        case NULL_STATUS -> status = "NULL";
                        case BAD_STATUS -> status = "'z'";
                        case OUT_OF_RANGE -> amount = 101 + random.nextInt(10);
                        case DANGLING_REF -> ref = 50 + random.nextInt(5);
                        case DUPLICATE_IN_INCREMENT -> {
                            values.add(row(id, 1, status, amount, ref, round, true));
                        }
                        case DUPLICATE_OF_HISTORY -> id = ids.get(random.nextInt(ids.size()));
                        default -> {
                        }
                    }
                }
                ids.add(id);
                values.add(row(id, 1 + random.nextInt(4), status, amount, ref, round, bad));
            }
            return values.toString();
        }

        private static String row(int id, int grp, String status, int amount, int ref, int round, boolean bad) {
            return "(" + id + ", " + grp + ", " + status + ", " + amount + ", " + ref + ", " + round + ", " + bad + ")";
        }
    }
}
