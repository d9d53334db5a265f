package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.JUnitReport;
import dev.soma.models.api.ModelChange;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.PreviousRun;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.SelectorException;
import dev.soma.models.error.StateException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --state}: dbt's state: checks (new, modified and its body / configs / macros / contract parts,
 * unmodified) against an earlier manifest, Soma's breaking / non-breaking split, {@code --defer} to another
 * schema of the same database, retry and the JUnit report, on a small fixture.
 */
class StateSelectionIT {

    @TempDir
    Path dir;
    ProjectFixture project;
    Path state;

    @BeforeEach
    void productionRanOnce() throws IOException {
        project = ProjectFixture.in(dir.resolve("project"))
                .file("macros/money.ftl", "<#function cents x><#return \"round(\" + x + \" * 100)\"></#function>\n")
                .file("staging/stg_items.sql", "select range as id, range * 1.5 as price from range(10)")
                .file("marts/items.sql", "select id, ${cents('price')} as price_cents from ${ref('stg_items')} where id < 8")
                .file("marts/totals.sql", "select count(*) as n from ${ref('items')}")
                .file("marts/other.sql", "select 1 as one")
                .file("marts/_marts.yml", """
                        models:
                          - name: items
                            columns:
                              - name: id
                                data_type: bigint
                                tests: [unique, not_null]
                        """);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("prod.duckdb"));
             Soma soma = project.soma(warehouse).build()) {
            assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
        }
        state = dir.resolve("prod-artifacts");
        Files.createDirectories(state);
        Files.copy(project.root().resolve("target/manifest.json"), state.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    private List<String> names(String selector) {
        try (Soma soma = Soma.builder().project(project.root()).state(state).build()) {
            return soma.list(Selection.of(selector)).stream().filter(n -> !n.uniqueId().startsWith("test."))
                    .map(NodeInfo::name).toList();
        }
    }

    @Test
    void aPublishBuildSelectsByStateOnTheLiveGraph() throws IOException {
        project.file("marts/other.sql", "select 2 as one");
        try (Warehouse warehouse = Warehouse.open(dir.resolve("prod.duckdb"));
             Soma soma = project.soma(warehouse).state(state).build()) {
            PublishedBuild build = soma.build(Selection.of("state:modified"), Publishing.PUBLISH);
            assertThat(build.isSuccess()).as(build.toString()).isTrue();
            assertThat(build.run().results()).extracting(r -> r.node().name()).containsExactly("other");
            assertThat(warehouse.queryLong(null, "select one from analytics.other")).isEqualTo(2);

            PublishedBuild nothing = soma.build(Selection.of("state:new"), Publishing.PUBLISH);
            assertThat(nothing.run().results()).as("nothing new: nothing built, not everything").isEmpty();
        }
    }

    @Test
    void nothingChangedSelectsNothingModified() {
        assertThat(names("state:modified")).isEmpty();
        assertThat(names("state:unmodified")).contains("items", "totals", "other", "stg_items");
        assertThat(names("state:new")).isEmpty();
    }

    @Test
    void eachPartOfTheChecksumHasItsSubSelector() {
        project.file("marts/other.sql", "select 2 as one")
                .file("marts/totals.sql", "<@config materialized=\"view\"/>\nselect count(*) as n from ${ref('items')}")
                .file("macros/money.ftl", "<#function cents x><#return \"round(\" + x + \" * 100, 0)\"></#function>\n")
                .file("marts/fresh.sql", "select 3 as three");
        assertThat(names("state:modified")).containsExactlyInAnyOrder("other", "totals", "items", "fresh");
        assertThat(names("state:modified.body")).containsExactlyInAnyOrder("other", "totals", "fresh");
        assertThat(names("state:modified.configs")).containsExactlyInAnyOrder("totals", "fresh");
        assertThat(names("state:modified.macros")).containsExactly("items");
        assertThat(names("state:new")).containsExactly("fresh");
        assertThat(names("state:modified.contract")).containsExactly("fresh");
        assertThat(names("state:modified+")).contains("items", "totals", "other", "fresh").doesNotContain("stg_items");
    }

    @Test
    void aColumnAddedIsNonBreakingAFilterChangedIsBreaking() {
        project.file("staging/stg_items.sql", "select range as id, range * 1.5 as price, 'x' as label from range(10)")
                .file("marts/items.sql", "select id, ${cents('price')} as price_cents from ${ref('stg_items')} where id < 9");
        try (Soma soma = Soma.builder().project(project.root()).state(state).build()) {
            List<ModelChange> changes = soma.changes(Selection.of("state:modified"));
            assertThat(changes).extracting(ModelChange::name).containsExactly("stg_items", "items");
            assertThat(changes.get(0).kind()).isEqualTo(ModelChange.Kind.NON_BREAKING);
            assertThat(changes.get(0).reasons()).containsExactly("column label added");
            assertThat(changes.get(1).kind()).isEqualTo(ModelChange.Kind.BREAKING);
            assertThat(changes.get(1).reasons()).containsExactly("a filter (WHERE) changed");
        }
        assertThat(names("state:modified.breaking+")).containsExactly("items", "totals");
        assertThat(names("state:modified.non_breaking")).containsExactly("stg_items");
    }

    @Test
    void aColumnRemovedOrRetypedIsBreaking() {
        project.file("staging/stg_items.sql", "select range as id, cast(range * 1.5 as varchar) as price from range(10)")
                .file("marts/other.sql", "select 1 as uno");
        try (Soma soma = Soma.builder().project(project.root()).state(state).build()) {
            assertThat(soma.changes(Selection.of("state:modified"))).extracting(ModelChange::name, ModelChange::kind, ModelChange::reasons)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("stg_items", ModelChange.Kind.BREAKING, List.of("column price changed")),
                            org.assertj.core.groups.Tuple.tuple("other", ModelChange.Kind.BREAKING,
                                    List.of("column one removed")));
        }
    }

    @Test
    void stateSelectorsNeedAReadableState() throws IOException {
        try (Soma soma = Soma.builder().project(project.root()).build()) {
            assertThatThrownBy(() -> soma.list(Selection.of("state:modified"))).isInstanceOf(SelectorException.class)
                    .hasMessageContaining("--state DIR");
        }
        assertThatThrownBy(() -> Soma.builder().project(project.root()).state(dir.resolve("nowhere")).build())
                .isInstanceOf(StateException.class).extracting(e -> ((StateException) e).location())
                .isEqualTo(dir.resolve("nowhere"));
        Files.writeString(state.resolve("manifest.json"), "{not json");
        assertThatThrownBy(() -> Soma.builder().project(project.root()).state(state).build())
                .isInstanceOf(StateException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Soma.builder().project(project.root()).defer(true).build())
                .isInstanceOf(StateException.class).hasMessageContaining("--state DIR");
        Files.copy(project.root().resolve("target/manifest.json"), state.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        try (Soma soma = Soma.builder().project(project.root()).state(state).build()) {
            assertThatThrownBy(() -> soma.list(Selection.of("state:changed"))).isInstanceOf(SelectorException.class)
                    .hasMessageContaining("modified.body");
        }
    }

    @Test
    void deferReadsUnbuiltParentsWhereTheStateBuiltThemAndRetryRerunsTheFailed() throws IOException {
        project.file("marts/totals.sql", "select count(*) * 10 as n from ${ref('items')}");
        try (Warehouse ci = Warehouse.open(dir.resolve("ci.duckdb"));
             Soma soma = project.soma(ci).state(state).defer(true).build()) {
            RunResult run = soma.build(Selection.of("state:modified"));
            assertThat(run.isSuccess()).as(run.failures().toString()).isTrue();
            assertThat(ci.queryLong(null, "select n from analytics.totals")).isEqualTo(80);
            assertThat(ci.relationExists("analytics", "items")).isFalse();
        }
        project.file("marts/totals.sql", "select count(*) * 10 as n from ${ref('items')} where no_such_column");
        try (Warehouse ci = Warehouse.open(dir.resolve("ci.duckdb"));
             Soma soma = project.soma(ci).state(state).defer(true).build()) {
            RunResult failed = soma.build(Selection.of("state:modified"));
            assertThat(failed.result("totals").status()).isEqualTo(NodeStatus.ERROR);
            String xml = JUnitReport.xml("soma build", failed);
            assertThat(xml).contains("<testsuite name=\"soma build\" tests=\"0\"");
        }
        project.file("marts/totals.sql", "select count(*) * 10 as n from ${ref('items')}");
        try (Warehouse ci = Warehouse.open(dir.resolve("ci.duckdb"));
             Soma soma = project.soma(ci).state(state).defer(true).build()) {
            PreviousRun previous = PreviousRun.read(soma.targetDir());
            assertThat(previous.retry()).containsExactly("model.fixture.totals");
            assertThat(previous.flag("defer")).isTrue();
            RunResult retried = soma.retry(previous);
            assertThat(retried.results()).extracting(r -> r.name()).containsExactly("totals");
            assertThat(retried.isSuccess()).isTrue();
        }
    }

    @Test
    void theJUnitReportHasOneCasePerTestAndEscapesMessages() {
        project.file("marts/_marts.yml", """
                models:
                  - name: items
                    columns:
                      - name: id
                        tests: [unique, not_null, {accepted_values: {values: [1, 2]}}]
                """);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("prod.duckdb"));
             Soma soma = project.soma(warehouse).build()) {
            RunResult run = soma.build(Selection.of("items"));
            String xml = JUnitReport.xml("soma build", run);
            assertThat(xml).contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\"")
                    .contains("<testcase name=\"unique_items_id\" classname=\"model.fixture.items\"")
                    .contains("<failure message=\"");
            assertThat(xml.split("<testcase ", -1)).hasSize(4);
        }
    }
}
