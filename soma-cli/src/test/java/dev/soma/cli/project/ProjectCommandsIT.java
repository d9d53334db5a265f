package dev.soma.cli.project;

import dev.soma.cli.CliRun;
import dev.soma.cli.ProjectFixture;
import dev.soma.core.warehouse.LockHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The project commands, run in-process as a user would type them. */
class ProjectCommandsIT extends ProjectFixture {

    private static final String PROJECT_YML = """
            name: cli_fixture
            vars: {modulo: 2}
            models:
              staging: {materialized: view, schema: staging}
              marts: {materialized: table, schema: analytics, tags: [marts]}
            """;

    @BeforeEach
    void writeProject() {
        write("soma_project.yml", PROJECT_YML);
        write("staging/stg_numbers.sql", "select range as id, 'n' || range as label from range(100)");
        write("marts/evens.sql", "select * from ${ref('stg_numbers')} where id % ${var('modulo')} = 0");
        write("marts/total.sql", "select count(*) as n from ${ref('evens')}");
    }

    /** Runs soma on the fixture; ls and clean take no --db (they never open a database). */
    @Override
    protected CliRun soma(String... args) {
        return fixture.run(!args[0].equals("ls") && !args[0].equals("clean"), args);
    }

    @Test
    void runBuildsEverythingAndSummarises() {
        CliRun quiet = soma("run");
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.out()).contains("Running 3 nodes (run)").doesNotContain("OK    table model")
                .contains("  staging    ").contains("1 model built")
                .contains("  marts    ").contains("2 models built")
                .contains(": 3 success.");
        CliRun run = soma("run", "-v");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Running 3 nodes (run)")
                .contains("OK    table model analytics.evens")
                .contains("CREATE TABLE (50 rows)")
                .contains("Finished run in ").contains(": 3 success.");
        assertThat(run.out()).doesNotContain("\u001b[");
        CliRun show = soma("show", "total");
        assertThat(show.out()).contains("n\n--\n50").contains("(1 of 1 rows of analytics.total)");
    }

    @Test
    void snapshotRunsOnlySnapshotsAndARerunAddsNothing() throws IOException {
        write("snapshots/snapshots.yml", """
                snapshots:
                  - name: numbers_snapshot
                    relation: ref('stg_numbers')
                    config: {schema: snapshots, unique_key: id, strategy: check, check_cols: [label]}
                """);
        assertThat(soma("run").exitCode()).isZero();
        CliRun first = soma("snapshot", "-v");
        assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("Running 1 node (snapshot)").contains("numbers_snapshot")
                .contains("CREATE SNAPSHOT (100 rows)").contains(": 1 success.");
        CliRun again = soma("snapshot", "-v", "-s", "resource_type:snapshot");
        assertThat(again.out()).contains("SNAPSHOT, 0 versions closed (0 rows)");
        CliRun none = soma("snapshot", "--exclude", "numbers_snapshot");
        assertThat(none.exitCode()).isZero();
    }

    @Test
    void aFailingEndHookKeepsTheResultsAndExitsOne() throws IOException {
        write("soma_project.yml", """
                name: cli_fixture
                vars: {modulo: 2}
                on_run_end: ["select error('end hook broke')"]
                """);
        CliRun run = soma("run");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains(": 3 success.").contains("ERROR after the nodes ran").contains("end hook broke");
    }

    @Test
    void lsAndCleanOpenNoDatabase() {
        assertThat(soma("ls").exitCode()).isZero();
        assertThat(soma("clean").exitCode()).isZero();
        assertThat(Path.of(db)).doesNotExist();
    }

    @Test
    void aFailingModelExitsOneAndExplainsItself() throws IOException {
        write("marts/evens.sql", "select *, no_such_column from ${ref('stg_numbers')}");
        CliRun run = soma("run");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("ERROR table model analytics.evens")
                .contains("SKIP  table model analytics.total")
                .contains("1 success, 1 error, 1 skipped")
                .contains("ERROR in model evens (marts/evens.sql)")
                .contains("Referenced column \"no_such_column\" not found")
                .contains("compiled SQL: " + project.resolve("target/compiled/marts/evens.sql"));
    }

    @Test
    void selectionVarsAndExclude() {
        assertThat(soma("run").exitCode()).isZero();
        CliRun run = soma("run", "-s", "+evens", "--exclude", "stg_numbers", "--vars", "{modulo: 5}", "-v");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Running 1 node (run)").contains("CREATE TABLE (20 rows)");
    }

    @Test
    void testExitsOneOnAFailedErrorTestAndZeroOnWarnings() throws IOException {
        write("marts/_marts.yml", """
                models:
                  - name: evens
                    columns:
                      - name: id
                        tests:
                          - unique
                          - accepted_range: {max_value: 50, config: {severity: warn}}
                      - name: label
                        tests:
                          - accepted_values: {values: [n0, n2], config: {tags: [strict]}}
                """);
        assertThat(soma("run").exitCode()).isZero();
        CliRun failing = soma("test", "-v");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.out()).contains("STATUS  FAILURES  TEST")
                .containsPattern("FAIL  +48  accepted_values_evens_label  marts/_marts.yml")
                .containsPattern("WARN  +24  accepted_range_evens_id")
                .containsPattern("PASS  +0  unique_evens_id")
                .contains("FAIL in test accepted_values_evens_label (marts/_marts.yml)")
                .contains("sample failing rows:")
                .contains("1 pass, 1 warn, 1 fail");
        CliRun warnings = soma("test", "--exclude", "tag:strict");
        assertThat(warnings.exitCode()).isZero();
        assertThat(warnings.out()).contains("1 pass, 1 warn.");
        CliRun build = soma("build");
        assertThat(build.exitCode()).isEqualTo(1);
        assertThat(build.out()).contains("SKIP  table model analytics.total");
    }

    @Test
    void lsListsInDependencyOrder() {
        CliRun ls = soma("ls", "-s", "tag:marts", "-o", "name");
        assertThat(ls.out()).isEqualTo("evens\ntotal\n");
        CliRun table = soma("ls");
        assertThat(table.out()).contains("model   stg_numbers  view         staging.stg_numbers").contains("3 nodes");
        assertThat(soma("ls", "-s", "nothing").err()).contains("warning: the selector 'nothing' matches no node");
    }

    @Test
    void selectionFollowsDbt() throws IOException {
        write("marts/_marts.yml", """
                models:
                  - name: evens
                    columns:
                      - name: id
                        tests: [unique, not_null]
                  - name: total
                    columns:
                      - name: n
                        tests: [not_null]
                """);
        // dbt ls lists the selected models' tests, each after its model, in dependency order
        assertThat(soma("ls", "-s", "evens", "-o", "name").out()).isEqualTo("evens\nnot_null_evens_id\nunique_evens_id\n");
        assertThat(soma("ls", "-o", "name").out())
                .isEqualTo("stg_numbers\nevens\nnot_null_evens_id\nunique_evens_id\ntotal\nnot_null_total_n\n");
        // project-qualified names
        assertThat(soma("ls", "-s", "cli_fixture.evens", "-o", "name").out()).startsWith("evens\n");
        assertThat(soma("ls", "-s", "cli_fixture.marts", "-o", "name").out()).contains("evens\n").contains("total\n");
        // --exclude brings the excluded nodes' tests too
        assertThat(soma("ls", "--exclude", "evens", "-o", "name").out()).isEqualTo("stg_numbers\ntotal\nnot_null_total_n\n");
        CliRun build = soma("build", "--exclude", "evens", "-v");
        assertThat(build.out()).doesNotContain("unique_evens_id").contains("not_null_total_n");
    }

    @Test
    void runsShowsTheHistoryAndOneRunsNodes() {
        assertThat(soma("run").exitCode()).isZero();
        assertThat(soma("run", "-s", "evens").exitCode()).isZero();
        CliRun runs = soma("runs");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains("RUN").contains("COMMAND").contains("STATUS").contains("3 success").contains("1 success");
        String firstId = runs.out().lines().skip(2).findFirst().orElseThrow().substring(0, 8);
        CliRun one = soma("runs", firstId);
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).contains("Run " + firstId).contains("evens").contains("CREATE TABLE");
        assertThat(soma("runs", "zzzz").err()).contains("no single run with an id starting 'zzzz'");
    }

    @Test
    void lsKeepsAParseCacheThatFollowsEditsAndCanBeSwitchedOff() throws IOException {
        Path cache = project.resolve("target/partial_parse.bin");
        CliRun uncached = soma("ls", "-o", "name", "--no-partial-parse");
        assertThat(uncached.exitCode()).as(uncached.err()).isZero();
        assertThat(cache).doesNotExist();

        CliRun first = soma("ls", "-o", "name");
        assertThat(first.out()).isEqualTo(uncached.out());
        assertThat(cache).isRegularFile();
        assertThat(soma("ls", "-o", "name").out()).isEqualTo(uncached.out());

        // total now reads stg_numbers directly, and a var decides evens' materialization
        write("marts/total.sql", "select count(*) as n from ${ref('stg_numbers')}");
        write("marts/evens.sql", "<@config materialized=var('evens_as', 'table')/>\n"
                + "select * from ${ref('stg_numbers')} where id % ${var('modulo')} = 0");
        CliRun edited = soma("ls", "-s", "+total", "-o", "name");
        assertThat(edited.out().lines()).containsExactly("stg_numbers", "total");
        CliRun withVar = soma("ls", "-s", "evens", "--vars", "{evens_as: view}");
        assertThat(withVar.out()).contains("view");
        assertThat(soma("ls", "-s", "evens").out()).contains("table");
    }

    @Test
    void compileOneModelPrintsItsSql() {
        CliRun compile = soma("compile", "-s", "evens");
        assertThat(compile.exitCode()).isZero();
        assertThat(compile.out().strip()).isEqualTo("select * from \"staging\".\"stg_numbers\" where id % 2 = 0");
        assertThat(project.resolve("target/compiled/marts/evens.sql")).exists();
        assertThat(project.resolve("target/manifest.json")).exists();
        CliRun clean = soma("clean");
        assertThat(clean.out()).startsWith("Removed ");
        assertThat(project.resolve("target")).doesNotExist();
    }

    @Test
    void testBeforeBuildingFailsUnlessAllowUnbuilt() throws IOException {
        write("marts/_marts.yml", """
                models:
                  - name: evens
                    columns:
                      - name: id
                        tests: [unique]
                """);
        assertThat(soma("run", "-s", "stg_numbers").exitCode()).isZero();
        CliRun test = soma("test");
        assertThat(test.exitCode()).as(test.out() + test.err()).isEqualTo(1);
        assertThat(test.out()).contains("ERROR in test unique_evens_id")
                .contains("could not run: it reads analytics.evens (model evens), which is not in the database; "
                        + "run soma build first");
        CliRun allowed = soma("test", "--allow-unbuilt");
        assertThat(allowed.exitCode()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.out()).contains("SKIP  test unique_evens_id").contains("skipped (--allow-unbuilt)");
    }

    @Test
    void showBeforeBuildingSaysWhatToDo() {
        assertThat(soma("run", "-s", "stg_numbers").exitCode()).isZero();
        CliRun show = soma("show", "evens");
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err().strip()).isEqualTo("error: model evens is not built in " + db
                + " (no analytics.evens); build it with 'soma run -s evens'");
        assertThat(soma("show", "evenz").err()).contains("no model, seed or source called 'evenz' (did you mean 'evens'?)");
    }

    @Test
    void readOnlyCommandsNeverCreateADatabase() {
        for (String[] command : new String[][]{{"show", "evens"}, {"test"}}) {
            CliRun run = soma(command);
            assertThat(run.exitCode()).as(command[0] + ": " + run.out() + run.err()).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo("error: no database at " + Path.of(db).toAbsolutePath().normalize()
                    + " (from --db); run 'soma generate' and 'soma build' first, or pass the database with --db");
            assertThat(Path.of(db)).doesNotExist();
        }
        // compile opens the database only to learn which incremental models exist; ls never does
        assertThat(soma("compile", "-s", "total").exitCode()).isZero();
        assertThat(soma("ls").exitCode()).isZero();
        assertThat(Path.of(db)).doesNotExist();
    }

    @Test
    void everyCommandFindsTheTargetDatabaseRelativeToTheProjectFolder() throws IOException {
        write("soma_project.yml", PROJECT_YML + """
                targets:
                  dev: {database: ../warehouse/dev.duckdb}
                """);
        Path expected = dir.resolve("warehouse/dev.duckdb");
        CliRun missing = CliRun.of("show", "evens", "--project-dir", project.toString());
        assertThat(missing.err().strip()).isEqualTo("error: no database at " + expected
                + " (target 'dev' of soma_project.yml, relative to the project folder); run 'soma generate' and 'soma build' "
                + "first, or pass the database with --db");
        assertThat(expected).doesNotExist();

        CliRun generate = CliRun.of("generate", "--project-dir", project.toString(), "--as-of", "2025-06-30");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(expected).exists();
        CliRun run = CliRun.of("run", "--project-dir", project.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        CliRun show = CliRun.of("show", "evens", "--project-dir", project.toString(), "--limit", "1");
        assertThat(show.exitCode()).as(show.err()).isZero();
    }

    @Test
    void userMistakesAreOneLineAndExitTwo() throws IOException {
        CliRun badVars = soma("run", "--vars", "{modulo: [}");
        assertThat(badVars.exitCode()).isEqualTo(2);
        assertThat(badVars.err()).startsWith("error: --vars is not valid YAML");
        assertThat(badVars.err().strip().lines()).hasSize(1);

        CliRun badSelector = soma("run", "-s", "tga:marts");
        assertThat(badSelector.exitCode()).isEqualTo(2);
        assertThat(badSelector.err()).contains("unknown selector method 'tga' (did you mean 'tag'?)");

        write("marts/total.sql", "select count(*) from ${ref('evenz')}");
        CliRun badRef = soma("run");
        assertThat(badRef.exitCode()).isEqualTo(2);
        assertThat(badRef.err().strip()).isEqualTo("error: marts/total.sql:1:22: ref(\"evenz\") matches no model or seed "
                + "(did you mean 'evens'?) (in model total)");

        CliRun verbose = soma("run", "-v");
        assertThat(verbose.err()).contains("at dev.soma.");
    }

    @Test
    void aDatabaseHeldByAnotherProcessIsOneClearLine() throws Exception {
        Process holder = LockHolder.start(Path.of(db));
        try {
            CliRun run = soma("run");
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().strip()).startsWith("error: database " + db + " is in use by another process (PID "
                    + holder.pid()).endsWith("close that process, or use another database file with --db");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
