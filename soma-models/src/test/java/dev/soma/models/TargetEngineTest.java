package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.CompiledNode;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A target's {@code engine:} and the engine's own keys; the cross-engine macros on the default engine. */
class TargetEngineTest {

    private static final SqlOwner CHECK = SqlOwner.soma("check");

    @TempDir
    Path dir;

    private ProjectException loadError(String targets) {
        ProjectFixture fixture = new ProjectFixture(dir).file("soma_project.yml", "name: engines\n" + targets)
                .file("one.sql", "select 1 as n");
        return catchThrowableOfType(ProjectException.class, () -> {
            try (Soma ignored = Soma.builder().project(fixture.root()).targetDir(dir.resolve("t")).build()) {
                return;
            }
        });
    }

    @Test
    void aMisspeltEngineSuggestsTheKnownOne() {
        ProjectException e = loadError("targets:\n  dev: {engine: sparkk}\n");
        assertThat(e.location().file()).isEqualTo("soma_project.yml");
        assertThat(e.getMessage()).contains("target 'dev': unknown engine 'sparkk' (did you mean 'spark'?); engines: duckdb, spark");
    }

    @Test
    void anEngineWhoseModuleIsNotOnTheClassPathSaysWhatToAdd() {
        ProjectException e = loadError("targets:\n  big: {engine: spark, master: 'local[2]'}\ndefault_target: big\n");
        assertThat(e.getMessage()).contains("target 'big': engine 'spark' is not on the class path: add the soma-spark module");
    }

    @Test
    void aKeyTheEngineDoesNotTakeIsAnErrorWithTheClosestKey() {
        ProjectException e = loadError("targets:\n  dev: {database: ':memory:', setings: {threads: 1}}\n");
        assertThat(e.getMessage()).contains("unknown key 'setings' in target 'dev' (did you mean 'settings'?); a duckdb "
                + "target takes: database, engine, publish, settings, threads");
        assertThat(loadError("targets:\n  dev: {engine: duckdb, master: 'local[2]'}\n").getMessage())
                .contains("unknown key 'master' in target 'dev'");
    }

    @Test
    void anExplicitDuckDbTargetRunsAndTheMacrosRenderForIt() {
        ProjectFixture fixture = new ProjectFixture(dir).file("soma_project.yml", """
                name: engines
                models: {materialized: table}
                targets:
                  dev: {engine: duckdb, database: ':memory:', settings: {threads: 1}}
                """).file("days.sql", """
                select ${datediff("date '2024-01-01'", "date '2024-03-01'", "day")} as days,
                       ${regexp_full_match("'9780306406157'", "'97[89][0-9]{10}'")} as isbn,
                       ${safe_divide("1", "0")} as nothing,
                       ${cast("3", type_float())} / 2 as half,
                       cast(42 as ${type_string()}) as text
                """).file("later.sql", "select days + 1 as days from ${ref('days')}");
        try (Soma soma = Soma.builder().project(fixture.root()).targetDir(dir.resolve("t")).build()) {
            List<CompiledNode> compiled = soma.compile(Selection.of("later"));
            assertThat(compiled).singleElement().extracting(CompiledNode::sql).asString().contains("from \"main\".\"days\"");
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
            Warehouse warehouse = soma.warehouse();
            assertThat(warehouse.engine().name()).isEqualTo("duckdb");
            assertThat(warehouse.queryLong(CHECK, "SELECT days FROM main.later")).isEqualTo(61);
            List<String> row = warehouse.query(CHECK, "SELECT isbn::VARCHAR, coalesce(nothing::VARCHAR, 'null'), half::VARCHAR, "
                    + "typeof(text) FROM main.days", rs -> {
                rs.next();
                return List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            });
            assertThat(row).containsExactly("true", "null", "1.5", "VARCHAR");
        }
    }
}
