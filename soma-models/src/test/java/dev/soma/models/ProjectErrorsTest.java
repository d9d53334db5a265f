package dev.soma.models;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.Selection;
import dev.soma.models.error.CycleException;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.TemplateException;
import dev.soma.models.error.UnknownNodeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bad input gets one error naming the file, line and the fix. Most tests check the error's type
 * and fields (location, name, suggestion, model); the tests marked golden check the whole message,
 * where its wording is the point.
 */
class ProjectErrorsTest {

    @TempDir
    Path dir;
    Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = Warehouse.inMemory();
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private ProjectFixture project() {
        return ProjectFixture.in(dir)
                .file("staging/stg_books.sql", "select 1 as book_id")
                .file("staging/stg_sales.sql", "select 1 as book_id");
    }

    private Throwable load(ProjectFixture fixture) {
        try (Soma ignored = fixture.soma(warehouse).build()) {
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** The error of type {@code type} that loading {@code fixture} fails with. */
    private <E extends Throwable> E error(Class<E> type, ProjectFixture fixture) {
        Throwable thrown = load(fixture);
        assertThat(thrown).isInstanceOf(type);
        return type.cast(thrown);
    }

    /** The error of type {@code type} that loading the small project plus the file {@code path} fails with. */
    private <E extends Throwable> E error(Class<E> type, String path, String text) {
        return error(type, project().file(path, text));
    }

    @Test
    void aCycleNamesEveryStep() {
        CycleException e = error(CycleException.class, project()
                .file("marts/a.sql", "select * from ${ref('b')}")
                .file("marts/b.sql", "select * from ${ref('c')}")
                .file("marts/c.sql", "select * from ${ref('a')}"));
        assertThat(e.code()).isEqualTo(ErrorCode.CYCLE);
        assertThat(e.cycle()).hasSize(4).contains("a", "b", "c");
        assertThat(e.cycle().get(0)).isEqualTo(e.cycle().get(3));
        // golden: the cycle as a path, and the fix
        assertThat(e.getMessage()).matches("dependency cycle: (a|b|c) -> (a|b|c) -> (a|b|c) -> (a|b|c); .*remove one of these refs");

        CycleException self = error(CycleException.class,
                ProjectFixture.in(dir.resolve("self")).file("marts/self.sql", "select * from ${ref('self')}"));
        assertThat(self.cycle()).containsExactly("self", "self");
    }

    @Test
    void anUnknownRefNamesFileLineAndTheClosestModel() {
        UnknownNodeException e = error(UnknownNodeException.class, "marts/fact.sql", "select *\nfrom ${ref('stg_bookz')}");
        assertThat(e.location()).isEqualTo(new SourceLocation("marts/fact.sql", 2, 6));
        assertThat(e.name()).isEqualTo("stg_bookz");
        assertThat(e.suggestion()).isEqualTo("stg_books");
        // golden: what a user reads for the most common mistake
        assertThat(e.getMessage()).startsWith("marts/fact.sql:2:6: ref(\"stg_bookz\") matches no model or seed "
                + "(did you mean 'stg_books'?)");
    }

    @Test
    void anUnknownRefInABranchThatDoesNotRunIsStillFound() {
        UnknownNodeException e = error(UnknownNodeException.class, "marts/fact.sql", """
                <@config materialized="incremental"/>
                select * from ${ref('stg_books')}
                <#if is_incremental()>
                  where book_id > (select max(book_id) from ${ref('stg_salez')})
                </#if>
                """);
        assertThat(e.location()).isEqualTo(new SourceLocation("marts/fact.sql", 4, 45));
        assertThat(e.suggestion()).isEqualTo("stg_sales");
    }

    @Test
    void aRefInABranchThatDoesNotRunIsStillADependency() {
        ProjectFixture fixture = project().file("marts/fact.sql", """
                <@config materialized="incremental"/>
                select * from ${ref('stg_books')}
                <#if is_incremental()>where book_id > (select max(book_id) from ${ref('stg_sales')})</#if>
                """);
        try (Soma soma = fixture.soma(warehouse).build()) {
            assertThat(soma.node("fact").dependsOn()).containsExactly("model.fixture.stg_books", "model.fixture.stg_sales");
        }
    }

    @Test
    void anUnknownSourceSuggestsTheDeclaredOne() {
        UnknownNodeException e = error(UnknownNodeException.class, project()
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_x.sql", "select * from ${source('raw', 'book')}"));
        assertThat(e.location().file()).isEqualTo("staging/stg_x.sql");
        assertThat(e.suggestion()).isEqualTo("raw.books");
    }

    @Test
    void anIngestBlockOnASourceTableIsLeftToSomaIngest() {
        ProjectFixture fixture = project()
                .file("sources.yml", """
                        sources:
                          - name: raw
                            tables:
                              - name: books
                                ingest:
                                  csv: {path: data/books.csv}
                                  anything: [the engine, does not read this]
                        """)
                .file("staging/stg_x.sql", "select * from ${source('raw', 'books')}");
        assertThat(load(fixture)).isNull();
    }

    @Test
    void aTemplateSyntaxErrorShowsTheLineWithACaret() {
        TemplateException e = error(TemplateException.class, "marts/broken.sql", "select 1\n<#if true>\nfrom x\n");
        assertThat(e.model()).isEqualTo("broken");
        assertThat(e.kind()).isEqualTo("model");
        assertThat(e.location().file()).isEqualTo("marts/broken.sql");
        assertThat(e.location().line()).isPositive();
        assertThat(e.detail()).contains("#if");
        assertThat(e.getMessage()).contains(" | ");
    }

    @Test
    void aTemplateEvaluationErrorShowsTheOffendingLine() {
        TemplateException e = error(TemplateException.class, "marts/broken.sql", "select 1,\n  ${no_such_thing} as x\n");
        assertThat(e.location()).isEqualTo(new SourceLocation("marts/broken.sql", 2, 5));
        // golden: the whole message, with the offending line and the caret under the column
        assertThat(e.getMessage()).isEqualTo("""
                marts/broken.sql:2:5: template error in model broken: The following has evaluated to null or missing: no_such_thing
                  2 |   ${no_such_thing} as x
                    |     ^""");
    }

    @Test
    void aMissingVarSaysHowToSetIt() {
        TemplateException e = error(TemplateException.class, "marts/v.sql", "select '${var(\"start_date\")}' as d");
        assertThat(e.model()).isEqualTo("v");
        assertThat(e.location().file()).isEqualTo("marts/v.sql");
        assertThat(e.location().line()).isEqualTo(1);
        // golden: the ways to set a var
        assertThat(e.detail()).contains("var(\"start_date\") is not set").contains("--vars '{start_date: …}'");
    }

    @Test
    void varsComeFromTheProjectTheCallerAndDefaults() {
        ProjectFixture fixture = project()
                .file("soma_project.yml", "name: fixture\nvars: {start_date: '2024-01-01', limit: 5}\n")
                .file("marts/v.sql", "select '${var(\"start_date\")}' as d, ${var('limit')} as l, ${var('missing', 1000000)} as m");
        try (Soma soma = fixture.soma(warehouse).vars(Map.of("limit", 7)).build()) {
            assertThat(soma.compile(Selection.of("v")).get(0).sql())
                    .isEqualTo("select '2024-01-01' as d, 7 as l, 1000000 as m");
        }
    }

    @Test
    void theSandboxRefusesJavaAccess() {
        for (String evil : new String[]{"${'freemarker.template.utility.Execute'?new()('id')}", "${ref?api}",
                "<#include '../../../../../etc/passwd'>"}) {
            TemplateException e = error(TemplateException.class, "marts/evil.sql", evil);
            assertThat(e.model()).as(evil).isEqualTo("evil");
            assertThat(e.location().file()).as(evil).isEqualTo("marts/evil.sql");
        }
    }

    @Test
    void anUnknownConfigKeyInTheModelFileIsCaughtWithItsLine() {
        TemplateException e = error(TemplateException.class, "marts/m.sql", "select 1\n<@config materialised=\"table\"/>\n");
        assertThat(e.location().file()).isEqualTo("marts/m.sql");
        assertThat(e.location().line()).isEqualTo(2);
        assertThat(e.detail()).contains("'materialised'").contains("'materialized'");
    }

    @Test
    void anUnknownMaterializationSuggestsTheRightOne() {
        ProjectException e = error(ProjectException.class, "marts/m.sql", "<@config materialized=\"tabel\"/>select 1");
        assertThat(e.location()).isEqualTo(SourceLocation.of("marts/m.sql"));
        // golden: the suggestion and every materialization there is
        assertThat(e).hasMessage("marts/m.sql: model m has unknown materialization 'tabel' (did you mean 'table'?); "
                + "use one of view, table, incremental, ephemeral, windowed");
    }

    @Test
    void yamlUnknownKeysNameFileLineAndTheNearestKey() {
        ProjectException e = error(ProjectException.class, "staging/_staging.yml", """
                models:
                  - name: stg_books
                    descripton: Books, cleaned.
                """);
        assertThat(e.location()).isEqualTo(new SourceLocation("staging/_staging.yml", 3, 5));
        // golden: where the key is, the nearest valid one, and the keys valid there
        assertThat(e.getMessage()).startsWith("staging/_staging.yml:3:5: unknown key 'descripton' under models[0] "
                + "(did you mean 'description'?); valid keys here: ");

        ProjectException config = error(ProjectException.class, "staging/_staging.yml", """
                models:
                  - name: stg_books
                    config:
                      materialised: table
                """);
        assertThat(config.location()).isEqualTo(new SourceLocation("staging/_staging.yml", 4, 7));
        assertThat(config.getMessage()).contains("'materialised'").contains("'materialized'");
    }

    /** A mistake in soma_project.yml, where it is and a word the message must name. */
    private record ProjectFileMistake(String yaml, int line, int column, String names) {
    }

    @Test
    void projectFileMistakes() {
        for (ProjectFileMistake mistake : new ProjectFileMistake[]{
                new ProjectFileMistake("name: fixture\nmodles:\n  staging: {schema: s}\n", 2, 1, "'modles'"),
                new ProjectFileMistake("name: fixture\nmodels:\n  staging:\n    materialised: view\n", 4, 5, "'materialised'"),
                new ProjectFileMistake("name: fixture\ntargets:\n  dev: {threads: four}\n", 3, -1, "'four'"),
                new ProjectFileMistake("name: fixture\nmodels:\n  staging:\n    tags: {a: b}\n", 4, 5, "'tags'"),
                new ProjectFileMistake("name: fixture\nname: again\n", 2, -1, "'name'")}) {
            ProjectException e = error(ProjectException.class, "soma_project.yml", mistake.yaml());
            assertThat(e.location().file()).as(mistake.yaml()).isEqualTo("soma_project.yml");
            assertThat(e.location().line()).as(mistake.yaml()).isEqualTo(mistake.line());
            if (mistake.column() >= 0) {
                assertThat(e.location().column()).as(mistake.yaml()).isEqualTo(mistake.column());
            }
            assertThat(e.getMessage()).as(mistake.yaml()).contains(mistake.names());
        }
        // golden: a project without a name
        assertThat(error(ProjectException.class, "soma_project.yml", "version: 1\n"))
                .hasMessage("soma_project.yml:1: the project needs a name; add a line such as 'name: my_project'");
    }

    @Test
    void malformedYamlNamesTheFile() {
        ProjectException e = error(ProjectException.class, "staging/_staging.yml",
                "models:\n  - name: stg_books\n   description: [unclosed\n");
        assertThat(e.location().file()).isEqualTo("staging/_staging.yml");
        assertThat(e.location().line()).isPositive();
        assertThat(e.getMessage()).contains("invalid YAML");
    }

    @Test
    void yamlForAModelThatDoesNotExist() {
        UnknownNodeException e = error(UnknownNodeException.class, "staging/_staging.yml", "models:\n  - name: stg_bookz\n");
        assertThat(e.location()).isEqualTo(SourceLocation.of("staging/_staging.yml", 2));
        assertThat(e.name()).isEqualTo("stg_bookz");
        assertThat(e.suggestion()).isEqualTo("stg_books");
    }

    @Test
    void duplicateModelNames() {
        ProjectException e = error(ProjectException.class, "marts/stg_books.sql", "select 2");
        assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_INVALID);
        assertThat(e.location()).isEqualTo(SourceLocation.of("staging/stg_books.sql"));
        assertThat(e.getMessage()).contains("marts/stg_books.sql");
    }

    @Test
    void noProjectFile() {
        // golden: the first message a user sees when pointing Soma at the wrong folder
        assertThatThrownBy(() -> Soma.builder().project(dir.resolve("nowhere")).warehouse(warehouse).build())
                .isInstanceOf(ProjectException.class)
                .hasMessage("no soma_project.yml in " + dir.resolve("nowhere")
                        + "; pass the project folder with --project-dir (the one holding soma_project.yml)");
    }

    @Test
    void aRelationshipsTestToNothingNamesItsYamlLine() {
        UnknownNodeException e = error(UnknownNodeException.class, "staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns:
                      - name: book_id
                        tests:
                          - relationships: {to: ref('stg_bookz'), field: book_id}
                """);
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_NODE);
        assertThat(e.name()).isEqualTo("stg_bookz");
        assertThat(e.suggestion()).isEqualTo("stg_books");
        assertThat(e.location().file()).isEqualTo("staging/_staging.yml");
        assertThat(e.location().line()).isEqualTo(6);
    }

    @Test
    void aMalformedRelationshipsTargetIsAProjectErrorNotAnIllegalArgument() {
        ProjectException e = error(ProjectException.class, "staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns:
                      - name: book_id
                        tests:
                          - relationships: {to: stg_books, field: book_id}
                """);
        assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_INVALID);
        assertThat(e.location().file()).isEqualTo("staging/_staging.yml");
        assertThat(e.location().line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("'to' must be ref('model') or source('source', 'table')");
    }

    @Test
    void jinjaIsRefusedWithWhatToWriteInstead() {
        TemplateException e = error(TemplateException.class, "marts/fact.sql", "select *\nfrom {{ ref('stg_books') }}");
        assertThat(e.location()).isEqualTo(new SourceLocation("marts/fact.sql", 2, 6));
        // golden: the FreeMarker to write instead of each Jinja construct
        assertThat(e.getMessage()).contains("this is Jinja").contains("write ${ref(\"stg_books\")} instead of {{ ref('stg_books') }}");
        assertThat(load(ProjectFixture.in(dir.resolve("if")).file("marts/inc.sql", "select 1 as id\n{% if is_incremental() %} where 1 {% endif %}")))
                .hasMessageContaining("write <#if is_incremental()> instead of {% if is_incremental() %}");
        assertThat(load(ProjectFixture.in(dir.resolve("comment")).file("marts/c.sql", "{# a comment #}\nselect 1")))
                .hasMessageContaining("write <#-- a comment --> instead of {# a comment #}");
        assertThat(load(ProjectFixture.in(dir.resolve("macro")).file("marts/a.sql", "select 1").file("macros/m.ftl", "{% macro cents(x) %}{{ x }} * 100{% endmacro %}")))
                .hasMessageContaining("macro file macros/m.ftl").hasMessageContaining("write <#macro cents x> in macros/*.ftl");
    }

    @Test
    void aWrongTypeNamesTheFullKeyAndWhatItHolds() {
        ProjectException e = error(ProjectException.class, "staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns: 5
                """);
        assertThat(e.location().file()).isEqualTo("staging/_staging.yml");
        // golden: the full key path, what it holds, and how to write a list
        assertThat(e).hasMessageContaining("models[0].columns has the wrong type: expected a list, got 5; "
                + "write one item per line, each starting with '- '");
    }
}
