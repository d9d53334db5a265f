package dev.soma.models;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.warehouse.Warehouse;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad input gets one message naming the file, line and the fix. */
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

    @Test
    void aCycleNamesEveryStep() {
        ProjectFixture fixture = project()
                .file("marts/a.sql", "select * from ${ref('b')}")
                .file("marts/b.sql", "select * from ${ref('c')}")
                .file("marts/c.sql", "select * from ${ref('a')}");
        assertThat(load(fixture)).isInstanceOfSatisfying(CycleException.class, e -> {
            assertThat(e.cycle()).hasSize(4);
            assertThat(e.cycle().get(0)).isEqualTo(e.cycle().get(3));
            assertThat(e.cycle()).contains("a", "b", "c");
            assertThat(e.getMessage()).matches("dependency cycle: (a|b|c) -> (a|b|c) -> (a|b|c) -> (a|b|c); .*remove one of these refs");
            assertThat(e.code()).isEqualTo(ErrorCode.CYCLE);
        });
        assertThat(load(ProjectFixture.in(dir.resolve("self")).file("marts/self.sql", "select * from ${ref('self')}")))
                .hasMessageStartingWith("dependency cycle: self -> self");
    }

    @Test
    void anUnknownRefNamesFileLineAndTheClosestModel() {
        ProjectFixture fixture = project().file("marts/fact.sql", "select *\nfrom ${ref('stg_bookz')}");
        assertThat(load(fixture)).isInstanceOfSatisfying(UnknownNodeException.class, e -> {
            assertThat(e.location()).isEqualTo(new SourceLocation("marts/fact.sql", 2, 6));
            assertThat(e.suggestion()).isEqualTo("stg_books");
            assertThat(e.getMessage()).startsWith("marts/fact.sql:2:6: ref(\"stg_bookz\") matches no model or seed "
                    + "(did you mean 'stg_books'?)");
        });
    }

    @Test
    void anUnknownRefInABranchThatDoesNotRunIsStillFound() {
        ProjectFixture fixture = project().file("marts/fact.sql", """
                <@config materialized="incremental"/>
                select * from ${ref('stg_books')}
                <#if is_incremental()>
                  where book_id > (select max(book_id) from ${ref('stg_salez')})
                </#if>
                """);
        assertThat(load(fixture)).isInstanceOfSatisfying(UnknownNodeException.class, e -> {
            assertThat(e.location()).isEqualTo(new SourceLocation("marts/fact.sql", 4, 45));
            assertThat(e.suggestion()).isEqualTo("stg_sales");
        });
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
        ProjectFixture fixture = project()
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_x.sql", "select * from ${source('raw', 'book')}");
        assertThat(load(fixture)).isInstanceOfSatisfying(UnknownNodeException.class, e -> {
            assertThat(e.location().file()).isEqualTo("staging/stg_x.sql");
            assertThat(e.getMessage()).contains("source(\"raw\", \"book\")").contains("did you mean 'raw.books'?");
        });
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
        ProjectFixture fixture = project().file("marts/broken.sql", "select 1\n<#if true>\nfrom x\n");
        assertThat(load(fixture)).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.model()).isEqualTo("broken");
            assertThat(e.kind()).isEqualTo("model");
            assertThat(e.location().file()).isEqualTo("marts/broken.sql");
            assertThat(e.location().line()).isPositive();
            assertThat(e.getMessage()).startsWith("marts/broken.sql:").contains("template error in model broken")
                    .contains("#if").contains(" | ");
        });
    }

    @Test
    void aTemplateEvaluationErrorShowsTheOffendingLine() {
        ProjectFixture fixture = project().file("marts/broken.sql", "select 1,\n  ${no_such_thing} as x\n");
        assertThat(load(fixture)).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.location()).isEqualTo(new SourceLocation("marts/broken.sql", 2, 5));
            assertThat(e.getMessage()).isEqualTo("""
                    marts/broken.sql:2:5: template error in model broken: The following has evaluated to null or missing: no_such_thing
                      2 |   ${no_such_thing} as x
                        |     ^""");
        });
    }

    @Test
    void aMissingVarSaysHowToSetIt() {
        ProjectFixture fixture = project().file("marts/v.sql", "select '${var(\"start_date\")}' as d");
        assertThat(load(fixture)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("marts/v.sql:1:")
                .hasMessageContaining("var(\"start_date\") is not set")
                .hasMessageContaining("--vars '{start_date: …}'");
    }

    @Test
    void varsComeFromTheProjectTheCallerAndDefaults() {
        ProjectFixture fixture = project()
                .file("soma_project.yml", "name: fixture\nvars: {start_date: '2024-01-01', limit: 5}\n")
                .file("marts/v.sql", "select '${var(\"start_date\")}' as d, ${var('limit')} as l, ${var('missing', 1000000)} as m");
        try (Soma soma = fixture.soma(warehouse).vars(java.util.Map.of("limit", 7)).build()) {
            assertThat(soma.compile(dev.soma.models.api.Selection.of("v")).get(0).sql())
                    .isEqualTo("select '2024-01-01' as d, 7 as l, 1000000 as m");
        }
    }

    @Test
    void theSandboxRefusesJavaAccess() {
        assertThat(load(project().file("marts/evil.sql",
                "${'freemarker.template.utility.Execute'?new()('id')}")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("marts/evil.sql:1:");
        assertThat(load(project().file("marts/evil.sql", "${ref?api}")))
                .isInstanceOf(TemplateException.class);
        assertThat(load(project().file("marts/evil.sql", "<#include '../../../../../etc/passwd'>")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("marts/evil.sql:1:");
    }

    @Test
    void anUnknownConfigKeyInTheModelFileIsCaughtWithItsLine() {
        ProjectFixture fixture = project().file("marts/m.sql", "select 1\n<@config materialised=\"table\"/>\n");
        assertThat(load(fixture)).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("marts/m.sql:2:")
                .hasMessageContaining("unknown config key 'materialised' (did you mean 'materialized'?)");
    }

    @Test
    void anUnknownMaterializationSuggestsTheRightOne() {
        ProjectFixture fixture = project().file("marts/m.sql", "<@config materialized=\"tabel\"/>select 1");
        assertThat(load(fixture)).isInstanceOf(ProjectException.class)
                .hasMessage("marts/m.sql: model m has unknown materialization 'tabel' (did you mean 'table'?); "
                        + "use one of view, table, incremental, ephemeral, windowed");
    }

    @Test
    void yamlUnknownKeysNameFileLineAndTheNearestKey() {
        ProjectFixture fixture = project().file("staging/_staging.yml", """
                models:
                  - name: stg_books
                    descripton: Books, cleaned.
                """);
        assertThat(load(fixture)).isInstanceOfSatisfying(ProjectException.class, e -> {
            assertThat(e.location()).isEqualTo(new SourceLocation("staging/_staging.yml", 3, 5));
            assertThat(e.getMessage()).startsWith("staging/_staging.yml:3:5: unknown key 'descripton' under models[0] "
                    + "(did you mean 'description'?); valid keys here: ");
        });
        ProjectFixture config = project().file("staging/_staging.yml", """
                models:
                  - name: stg_books
                    config:
                      materialised: table
                """);
        assertThat(load(config)).hasMessageStartingWith("staging/_staging.yml:4:7: unknown key 'materialised'")
                .hasMessageContaining("(did you mean 'materialized'?)");
    }

    @Test
    void projectFileMistakes() {
        assertThat(load(project().file("soma_project.yml", "name: fixture\nmodles:\n  staging: {schema: s}\n")))
                .hasMessageStartingWith("soma_project.yml:2:1: unknown key 'modles' (did you mean 'models'?)");
        assertThat(load(project().file("soma_project.yml", "name: fixture\nmodels:\n  staging:\n    materialised: view\n")))
                .hasMessageStartingWith("soma_project.yml:4:5: unknown config key 'materialised' (did you mean 'materialized'?)");
        assertThat(load(project().file("soma_project.yml", "name: fixture\ntargets:\n  dev: {threads: four}\n")))
                .hasMessageStartingWith("soma_project.yml:3:")
                .hasMessageContaining("'four' is not a valid number");
        assertThat(load(project().file("soma_project.yml", "name: fixture\nmodels:\n  staging:\n    tags: {a: b}\n")))
                .hasMessageStartingWith("soma_project.yml:4:5: config key 'tags' has the wrong type");
        assertThat(load(project().file("soma_project.yml", "version: 1\n")))
                .hasMessage("soma_project.yml:1: the project needs a name; add a line such as 'name: my_project'");
    }

    @Test
    void malformedAndDuplicateYaml() {
        assertThat(load(project().file("staging/_staging.yml", "models:\n  - name: stg_books\n   description: [unclosed\n")))
                .isInstanceOf(ProjectException.class)
                .hasMessageStartingWith("staging/_staging.yml:")
                .hasMessageContaining("invalid YAML");
        assertThat(load(project().file("soma_project.yml", "name: fixture\nname: again\n")))
                .hasMessageStartingWith("soma_project.yml:2:")
                .hasMessageContaining("duplicate key 'name'");
    }

    @Test
    void yamlForAModelThatDoesNotExist() {
        ProjectFixture fixture = project().file("staging/_staging.yml", "models:\n  - name: stg_bookz\n");
        assertThat(load(fixture)).isInstanceOf(UnknownNodeException.class)
                .hasMessage("staging/_staging.yml:2: models entry 'stg_bookz' matches no model file (no stg_bookz.sql in the "
                        + "project) (did you mean 'stg_books'?)");
    }

    @Test
    void duplicateModelNames() {
        ProjectFixture fixture = project().file("marts/stg_books.sql", "select 2");
        assertThat(load(fixture)).isInstanceOf(ProjectException.class)
                .hasMessage("staging/stg_books.sql: two models are called stg_books: marts/stg_books.sql and "
                        + "staging/stg_books.sql; model names must be unique across folders: rename one");
    }

    @Test
    void noProjectFile() {
        assertThatThrownBy(() -> Soma.builder().project(dir.resolve("nowhere")).warehouse(warehouse).build())
                .isInstanceOf(ProjectException.class)
                .hasMessage("no soma_project.yml in " + dir.resolve("nowhere")
                        + "; pass the project folder with --project-dir (the one holding soma_project.yml)");
    }

    @Test
    void aRelationshipsTestToNothingNamesItsYamlLine() {
        ProjectFixture fixture = project().file("staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns:
                      - name: book_id
                        tests:
                          - relationships: {to: ref('stg_bookz'), field: book_id}
                """);
        assertThat(load(fixture)).isInstanceOfSatisfying(UnknownNodeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_NODE);
            assertThat(e.name()).isEqualTo("stg_bookz");
            assertThat(e.suggestion()).isEqualTo("stg_books");
            assertThat(e.location().file()).isEqualTo("staging/_staging.yml");
            assertThat(e.location().line()).isEqualTo(6);
        });
    }

    @Test
    void aMalformedRelationshipsTargetIsAProjectErrorNotAnIllegalArgument() {
        ProjectFixture fixture = project().file("staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns:
                      - name: book_id
                        tests:
                          - relationships: {to: stg_books, field: book_id}
                """);
        assertThat(load(fixture)).isInstanceOfSatisfying(ProjectException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_INVALID);
            assertThat(e.location().file()).isEqualTo("staging/_staging.yml");
            assertThat(e.getMessage()).contains("'to' must be ref('model') or source('source', 'table')");
        });
    }

    @Test
    void jinjaIsRefusedWithWhatToWriteInstead() {
        ProjectFixture fixture = project().file("marts/fact.sql", "select *\nfrom {{ ref('stg_books') }}");
        assertThat(load(fixture)).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.location()).isEqualTo(new SourceLocation("marts/fact.sql", 2, 6));
            assertThat(e.getMessage()).contains("this is Jinja").contains("write ${ref(\"stg_books\")} instead of {{ ref('stg_books') }}");
        });
        assertThat(load(ProjectFixture.in(dir.resolve("if")).file("marts/inc.sql", "select 1 as id\n{% if is_incremental() %} where 1 {% endif %}")))
                .hasMessageContaining("write <#if is_incremental()> instead of {% if is_incremental() %}");
        assertThat(load(ProjectFixture.in(dir.resolve("comment")).file("marts/c.sql", "{# a comment #}\nselect 1")))
                .hasMessageContaining("write <#-- a comment --> instead of {# a comment #}");
        assertThat(load(ProjectFixture.in(dir.resolve("macro")).file("marts/a.sql", "select 1").file("macros/m.ftl", "{% macro cents(x) %}{{ x }} * 100{% endmacro %}")))
                .hasMessageContaining("macro file macros/m.ftl").hasMessageContaining("write <#macro cents x> in macros/*.ftl");
    }

    @Test
    void aWrongTypeNamesTheFullKeyAndWhatItHolds() {
        ProjectFixture fixture = project().file("staging/_staging.yml", """
                models:
                  - name: stg_sales
                    columns: 5
                """);
        assertThat(load(fixture)).hasMessageContaining("models[0].columns has the wrong type: expected a list, got 5; "
                + "write one item per line, each starting with '- '");
    }
}
