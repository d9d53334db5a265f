package dev.soma.models;

import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.Selection;
import dev.soma.models.error.SelectorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * dbt selection syntax against this fixture graph (edges point downstream):
 *
 * <pre>
 *  raw.a        raw.b     countries (seed)
 *    |            |      /
 *  stg_a        stg_b --'            staging/, tag daily
 *     \        /     \
 *      mart_ab       mart_b          marts/, table; mart_b tag finance
 *         |
 *       feat_x                       ml/, incremental
 * </pre>
 */
class SelectionIT {

    @TempDir
    static Path dir;
    static Warehouse warehouse;
    static Soma soma;

    @BeforeAll
    static void load() {
        ProjectFixture fixture = new ProjectFixture(dir)
                .file("soma_project.yml", """
                        name: graph
                        models:
                          staging: {tags: [daily]}
                          marts: {materialized: table}
                        """)
                .file("sources.yml", """
                        sources:
                          - name: raw
                            tables: [{name: a}, {name: b}]
                        """)
                .file("seeds/countries.csv", "code\nNL\n")
                .file("staging/stg_a.sql", "select * from ${source('raw', 'a')}")
                .file("staging/stg_b.sql", "select * from ${source('raw', 'b')} join ${ref('countries')} on true")
                .file("marts/mart_ab.sql", "select * from ${ref('stg_a')}, ${ref('stg_b')}")
                .file("marts/mart_b.sql", "<@config tags=['finance']/>select * from ${ref('stg_b')}")
                .file("ml/feat_x.sql", "<@config materialized='incremental' unique_key='id'/>select * from ${ref('mart_ab')}");
        warehouse = Warehouse.inMemory();
        soma = Soma.builder().project(fixture.root()).warehouse(warehouse).build();
    }

    @AfterAll
    static void close() {
        soma.close();
        warehouse.close();
    }

    private static List<String> select(String select) {
        return soma.list(Selection.of(select)).stream().map(NodeInfo::name).toList();
    }

    private static List<String> select(String select, String exclude) {
        return soma.list(Selection.of(select).excluding(exclude)).stream().map(NodeInfo::name).toList();
    }

    @Test
    void plainNamesFoldersAndGlobs() {
        assertThat(select("stg_a")).containsExactly("stg_a");
        assertThat(select("staging")).containsExactlyInAnyOrder("stg_a", "stg_b");
        assertThat(select("marts.mart_b")).containsExactly("mart_b");
        assertThat(select("stg_*")).containsExactlyInAnyOrder("stg_a", "stg_b");
        assertThat(select("")).hasSize(8);
    }

    @Test
    void parentsAndChildrenWithAndWithoutDepth() {
        assertThat(select("+mart_ab")).containsExactlyInAnyOrder("raw.a", "raw.b", "countries", "stg_a", "stg_b", "mart_ab");
        assertThat(select("1+mart_ab")).containsExactlyInAnyOrder("stg_a", "stg_b", "mart_ab");
        assertThat(select("stg_b+")).containsExactlyInAnyOrder("stg_b", "mart_ab", "mart_b", "feat_x");
        assertThat(select("stg_a+1")).containsExactlyInAnyOrder("stg_a", "mart_ab");
        assertThat(select("+stg_a+")).containsExactlyInAnyOrder("raw.a", "stg_a", "mart_ab", "feat_x");
    }

    @Test
    void atSelectsDescendantsAndTheirAncestors() {
        assertThat(select("@stg_a")).containsExactlyInAnyOrder(
                "stg_a", "mart_ab", "feat_x", "raw.a", "raw.b", "stg_b", "countries");
    }

    @Test
    void methods() {
        assertThat(select("tag:daily")).containsExactlyInAnyOrder("stg_a", "stg_b");
        assertThat(select("tag:finance")).containsExactly("mart_b");
        assertThat(select("path:marts")).containsExactlyInAnyOrder("mart_ab", "mart_b");
        assertThat(select("path:marts/mart_b.sql")).containsExactly("mart_b");
        assertThat(select("config.materialized:table")).containsExactlyInAnyOrder("mart_ab", "mart_b");
        assertThat(select("config.materialized:incremental")).containsExactly("feat_x");
        assertThat(select("config.incremental_strategy:merge")).containsExactly("feat_x");
        assertThat(select("source:raw")).containsExactlyInAnyOrder("raw.a", "raw.b");
        assertThat(select("source:raw.b+")).containsExactlyInAnyOrder("raw.b", "stg_b", "mart_ab", "mart_b", "feat_x");
        assertThat(select("resource_type:seed")).containsExactly("countries");
    }

    @Test
    void spaceIsUnionCommaIsIntersectionExcludeSubtracts() {
        assertThat(select("stg_a mart_b")).containsExactlyInAnyOrder("stg_a", "mart_b");
        assertThat(select("tag:daily,stg_b+")).containsExactly("stg_b");
        assertThat(select("staging", "stg_a")).containsExactly("stg_b");
        assertThat(select("+feat_x", "resource_type:source resource_type:seed"))
                .containsExactlyInAnyOrder("stg_a", "stg_b", "mart_ab", "feat_x");
    }

    @Test
    void resultsComeInDependencyOrder() {
        List<String> order = select("+feat_x");
        assertThat(order.indexOf("stg_a")).isLessThan(order.indexOf("mart_ab"));
        assertThat(order.indexOf("countries")).isLessThan(order.indexOf("stg_b"));
        assertThat(order.indexOf("mart_ab")).isLessThan(order.indexOf("feat_x"));
    }

    @Test
    void badSelectorsSayWhatIsWrong() {
        // Golden: the wording a user reads for a bad selector.
        assertThatThrownBy(() -> Selection.of("tga:daily"))
                .isInstanceOf(SomaException.class)
                .hasMessage("invalid selector 'tga:daily' in 'tga:daily': unknown selector method 'tga' (did you mean 'tag'?); "
                        + "use name, tag:, path:, source:, resource_type:, fqn:, test_type:, test_name: or config.<key>:");
        assertThatThrownBy(() -> Selection.of("stg_a @+stg_b")).isInstanceOfSatisfying(SelectorException.class, e -> {
            assertThat(e.selector()).isEqualTo("@+stg_b");
            assertThat(e.expression()).isEqualTo("stg_a @+stg_b");
        });
        assertThatThrownBy(() -> Selection.of("tag:")).isInstanceOfSatisfying(SelectorException.class,
                e -> assertThat(e.selector()).isEqualTo("tag:"));
        assertThat(soma.unmatched(Selection.of("stg_a nothing_here tag:nope"))).containsExactly("nothing_here", "tag:nope");
    }
}
