package dev.soma.models;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.FileAccessException;
import dev.soma.core.error.SqlExecutionException;
import dev.soma.core.runstore.RunRecord;
import dev.soma.core.runstore.RunStatus;
import dev.soma.core.runstore.RunStore;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine promises beyond single features: instances that share nothing, runs that are always
 * recorded, target settings, test gates, and dependency discovery that only reads template code.
 */
class EngineIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    // --- two instances ------------------------------------------------------------------------------

    @Test
    void twoInstancesOnTwoDatabasesShareNothing() throws Exception {
        ProjectFixture left = new ProjectFixture(dir.resolve("left"))
                .file("soma_project.yml", "name: left\nvars: {label: L}\nmodels: {materialized: table}\n")
                .file("only_left.sql", "select '${var(\"label\")}' as side, range as n from range(50000)");
        ProjectFixture right = new ProjectFixture(dir.resolve("right"))
                .file("soma_project.yml", "name: right\nvars: {label: R}\nmodels: {materialized: table}\n")
                .file("only_right.sql", "select '${var(\"label\")}' as side, range as n from range(70000)");
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (Warehouse one = Warehouse.open(dir.resolve("one.duckdb"));
             Warehouse two = Warehouse.open(dir.resolve("two.duckdb"));
             Soma first = left.soma(one).build();
             Soma second = right.soma(two).build()) {
            // Both run at once, from two threads, as two services in one JVM would.
            Future<RunResult> a = callers.submit((Callable<RunResult>) () -> first.run(Selection.all()));
            Future<RunResult> b = callers.submit((Callable<RunResult>) () -> second.run(Selection.all()));
            RunResult ra = a.get();
            RunResult rb = b.get();
            assertThat(ra.isSuccess()).isTrue();
            assertThat(rb.isSuccess()).isTrue();
            assertThat(ra.runId()).isNotEqualTo(rb.runId());

            assertThat(one.relationExists("main", "only_left")).isTrue();
            assertThat(one.relationExists("main", "only_right")).isFalse();
            assertThat(two.relationExists("main", "only_right")).isTrue();
            assertThat(two.relationExists("main", "only_left")).isFalse();
            assertThat(one.queryLong(CHECK, "SELECT count(*) FROM main.only_left WHERE side = 'L'")).isEqualTo(50000);
            assertThat(two.queryLong(CHECK, "SELECT count(*) FROM main.only_right WHERE side = 'R'")).isEqualTo(70000);
            assertThat(new RunStore(one.session()).runs(10)).extracting(RunRecord::runId).containsExactly(ra.runId());
            assertThat(new RunStore(two.session()).runs(10)).extracting(RunRecord::runId).containsExactly(rb.runId());
            assertThat(first.targetDir()).isNotEqualTo(second.targetDir());

            // Closing one leaves the other working.
            first.close();
            assertThat(second.run(Selection.all()).isSuccess()).isTrue();
        } finally {
            callers.shutdownNow();
        }
    }

    // --- runs are always recorded -----------------------------------------------------------------------

    private ProjectFixture twoModels(String extraProjectYaml) {
        return new ProjectFixture(dir.resolve("p")).file("soma_project.yml", "name: p\n" + extraProjectYaml)
                .file("a.sql", "select 1 as x")
                .file("b.sql", "select x + 1 as y from ${ref('a')}");
    }

    @Test
    void aFailingEndHookKeepsEveryNodeResultAndRecordsTheRun() {
        ProjectFixture fixture = twoModels("on_run_end: [\"select error('the end hook broke')\"]\n");
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            RunResult result = soma.run(Selection.all());
            assertThat(result.results()).extracting(r -> r.status()).containsOnly(NodeStatus.SUCCESS).hasSize(2);
            assertThat(result.isSuccess()).isFalse();
            assertThat(result.errors()).singleElement().isInstanceOf(SqlExecutionException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("the end hook broke"));
            RunRecord run = new RunStore(warehouse.session()).runs(1).get(0);
            assertThat(run.status()).isEqualTo(RunStatus.ERROR);
            assertThat(run.finishedAt()).isNotNull();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.node_results WHERE run_id = '"
                    + result.runId() + "' AND status = 'success'")).isEqualTo(2);
            assertThat(soma.targetDir().resolve("run_results.json")).exists();
        }
    }

    @Test
    void runResultsThatCannotBeWrittenLeaveTheRunRecordedNotRunning() throws Exception {
        ProjectFixture fixture = twoModels("");
        Path target = dir.resolve("target");
        // A non-empty folder where run_results.json should go: the atomic move onto it fails.
        Files.createDirectories(target.resolve("run_results.json"));
        Files.writeString(target.resolve("run_results.json").resolve("keep"), "x");
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).targetDir(target).build()) {
            RunResult result = soma.run(Selection.all());
            assertThat(result.results()).extracting(r -> r.status()).containsOnly(NodeStatus.SUCCESS).hasSize(2);
            assertThat(result.errors()).singleElement().isInstanceOfSatisfying(FileAccessException.class, e -> {
                assertThat(e.file()).isEqualTo(target.resolve("run_results.json"));
                assertThat(e.code()).isEqualTo(ErrorCode.FILE_ACCESS);
                assertThat(e.code().kind()).isEqualTo(ErrorCode.Kind.ENVIRONMENT);
            });
            RunRecord run = new RunStore(warehouse.session()).runs(1).get(0);
            assertThat(run.status()).isEqualTo(RunStatus.ERROR);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.node_results WHERE run_id = '"
                    + result.runId() + "'")).isEqualTo(2);
        }
    }

    // --- target settings ------------------------------------------------------------------------------

    @Test
    void theTargetsSettingsAreAppliedToTheDatabaseItOpens() {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("settings")).file("soma_project.yml", """
                name: settings
                targets:
                  dev:
                    database: ':memory:'
                    settings: {threads: 1, default_order: desc, preserve_insertion_order: false}
                """).file("numbers.sql", "select range as n from range(5)");
        try (Soma soma = Soma.builder().project(fixture.root()).targetDir(dir.resolve("t")).build()) {
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
            Warehouse warehouse = soma.warehouse();
            assertThat(warehouse.queryLong(CHECK, "SELECT current_setting('threads')")).isEqualTo(1);
            assertThat(warehouse.queryList(CHECK, "SELECT current_setting('default_order')", rs -> rs.getString(1)))
                    .singleElement().asString().containsIgnoringCase("desc");
            assertThat(warehouse.queryList(CHECK, "SELECT current_setting('preserve_insertion_order')::VARCHAR",
                    rs -> rs.getString(1))).containsExactly("false");
        }
    }

    // --- a singular test gates a build --------------------------------------------------------------------

    @Test
    void aFailingSingularTestStopsWhatIsBuiltFromTheModelsItReads() {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("gate"))
                .file("soma_project.yml", "name: gate\nmodels: {materialized: table}\n")
                .file("orders.sql", "select * from (values (1, 10), (2, -3)) t(id, amount)")
                .file("revenue.sql", "select sum(amount) as total from ${ref('orders')}")
                .file("unrelated.sql", "select 42 as answer")
                .file("tests/no_negative_amounts.sql", "select * from ${ref('orders')} where amount < 0");
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            RunResult result = soma.build(Selection.all());
            assertThat(result.result("orders").status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(result.result("no_negative_amounts").status()).isEqualTo(NodeStatus.FAIL);
            assertThat(result.result("no_negative_amounts").failures()).isEqualTo(1);
            assertThat(result.result("revenue").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(result.result("revenue").message()).contains("no_negative_amounts");
            assertThat(result.result("unrelated").status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(warehouse.relationExists("main", "revenue")).isFalse();
        }
    }

    // --- ephemeral models inlined into a WITH query -------------------------------------------------------

    @Test
    void ephemeralModelsInlineIntoModelsThatStartWithWithOrWithRecursive() {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("ctes"))
                .file("soma_project.yml", "name: ctes\nmodels: {materialized: table}\n")
                .file("base.sql", "<@config materialized=\"ephemeral\"/>\nselect range as n from range(1, 4)")
                .file("doubled.sql", """
                        -- a comment before the query
                        WITH doubled AS (select n * 2 as d from ${ref('base')})
                        select sum(d) as total from doubled
                        """)
                .file("counted.sql", """
                        with recursive steps(i) as (
                          select 1 union all select i + 1 from steps where i < (select max(n) from ${ref('base')})
                        )
                        select count(*) as total from steps
                        """);
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            RunResult result = soma.run(Selection.all());
            assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
            assertThat(warehouse.queryLong(CHECK, "SELECT total FROM main.doubled")).isEqualTo(12);
            assertThat(warehouse.queryLong(CHECK, "SELECT total FROM main.counted")).isEqualTo(3);
        }
    }

    @Test
    void testsOnAnEphemeralModelRunAgainstItsInlinedQuery() {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("ephemeral-tests"))
                .file("soma_project.yml", "name: eph\nmodels: {materialized: table}\n")
                .file("numbers.sql", "<@config materialized=\"ephemeral\"/>\nselect range as n from range(1, 4)")
                .file("pairs.sql", "<@config materialized=\"ephemeral\"/>\n"
                        + "select n, n % 2 as parity from ${ref('numbers')} union all select 2, 0")
                .file("report.sql", "select count(*) as total from ${ref('pairs')}")
                .file("schema.yml", """
                        models:
                          - name: pairs
                            columns:
                              - name: n
                                tests: [not_null, unique, {relationships: {to: ref('numbers'), field: n}}]
                              - name: parity
                                tests: [{accepted_values: {values: [0, 1], quote: false}}]
                          - name: numbers
                            columns:
                              - name: missing_column
                                tests: [not_null]
                        """);
        try (Warehouse warehouse = Warehouse.inMemory(); Soma soma = fixture.soma(warehouse).build()) {
            RunResult result = soma.build(Selection.all());
            assertThat(result.result("not_null_pairs_n").status()).isEqualTo(NodeStatus.PASS);
            assertThat(result.result("relationships_pairs_n").status()).isEqualTo(NodeStatus.PASS);
            assertThat(result.result("accepted_values_pairs_parity").status()).isEqualTo(NodeStatus.PASS);
            assertThat(result.result("unique_pairs_n").status()).isEqualTo(NodeStatus.FAIL);
            assertThat(result.result("unique_pairs_n").failures()).isEqualTo(1);
            assertThat(result.result("not_null_numbers_missing_column").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(result.result("not_null_numbers_missing_column").message())
                    .contains("column 'missing_column' does not exist in ephemeral model numbers");
            // a failing error test on an ephemeral model gates the models that inline it, as on any model
            assertThat(result.result("report").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(warehouse.relationExists("main", "pairs")).isFalse();
        }
    }

    // --- dependencies come from template code only ------------------------------------------------------

    @Test
    void aRefInASqlCommentIsNoDependency() {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("comments"))
                .file("soma_project.yml", "name: comments\n")
                .file("current.sql", "select 1 as x")
                .file("report.sql", """
                        -- replaces ref('old_report'), which no longer exists
                        /* and not source('gone', 'table') either */
                        select * from ${ref('current')}
                        <#if false>${ref('later')}</#if>
                        """)
                .file("later.sql", "select 2 as y");
        try (Soma soma = Soma.builder().project(fixture.root()).targetDir(dir.resolve("t")).build()) {
            assertThat(soma.node("report").dependsOn())
                    .containsExactlyInAnyOrder("model.comments.current", "model.comments.later");
        }
    }

    @Test
    void listingAProjectOpensNoDatabase() throws Exception {
        ProjectFixture fixture = new ProjectFixture(dir.resolve("nodb"))
                .file("soma_project.yml", "name: nodb\ntargets: {dev: {database: " + dir.resolve("never.duckdb") + "}}\n")
                .file("one.sql", "select 1 as x");
        try (Soma soma = Soma.builder().project(fixture.root()).targetDir(dir.resolve("t")).build()) {
            assertThat(soma.list(Selection.all())).hasSize(1);
            assertThat(soma.compile(Selection.all())).hasSize(1);
        }
        assertThat(dir.resolve("never.duckdb")).doesNotExist();
        assertThat(List.of(dir.toFile().list())).doesNotContain("never.duckdb");
    }
}
