package dev.soma.models;

import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.UnbuiltParentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dbt's rule for a test's parents: a test selected with its model runs only when every model it reads
 * is built by the run or already exists; otherwise it is skipped, naming the missing parent, and it
 * never skips what is downstream of its model.
 *
 * <pre>
 *  raw.books   raw.sales
 *     |            |
 *  dim_books -- relationships(to: dim_publishers) --> dim_publishers (from raw.books)
 *     |
 *  fact_sales
 * </pre>
 */
class TestParentsIT {

    @TempDir
    Path dir;

    private ProjectFixture fixture() {
        return ProjectFixture.in(dir)
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("marts/dim_publishers.sql", "select distinct book_id from ${source('raw', 'books')}")
                .file("marts/dim_books.sql", "select * from ${source('raw', 'books')}")
                .file("marts/fact_sales.sql", "select s.* from ${source('raw', 'sales')} s join ${ref('dim_books')} b using (book_id)")
                .file("marts/_marts.yml", """
                        models:
                          - name: dim_books
                            columns:
                              - name: book_id
                                tests:
                                  - not_null
                                  - relationships: {to: ref('dim_publishers'), field: book_id}
                        """);
    }

    @Test
    void aTestWhoseParentIsNeitherSelectedNorBuiltIsSkippedAndGatesNothing() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture().soma(warehouse).build()) {
                RunResult result = soma.build(Selection.of("+fact_sales"));

                assertThat(result.isSuccess()).isTrue();
                assertThat(result.result("fact_sales").status()).isEqualTo(NodeStatus.SUCCESS);
                assertThat(result.result("not_null_dim_books_book_id").status()).isEqualTo(NodeStatus.PASS);
                var relationships = result.results().stream()
                        .filter(r -> r.name().startsWith("relationships_dim_books")).findFirst().orElseThrow();
                assertThat(relationships.status()).isEqualTo(NodeStatus.SKIPPED);
                assertThat(relationships.message()).contains("dim_publishers").contains("soma build -s dim_publishers");
            }
        }
    }

    @Test
    void testBeforeAnyBuildFailsLikeDbtNamingTheMissingRelationAndTheFix() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture().soma(warehouse).build()) {
                RunResult result = soma.test(Selection.of("dim_books"));

                assertThat(result.isSuccess()).as("the tests could not run").isFalse();
                NodeResult notNull = result.result("not_null_dim_books_book_id");
                assertThat(notNull.status()).isEqualTo(NodeStatus.ERROR);
                assertThat(notNull.message()).contains("could not run").contains("dim_books")
                        .contains("not in the database").contains("run soma build first");
                assertThat(notNull.error()).isInstanceOfSatisfying(UnbuiltParentException.class, e -> {
                    assertThat(e.test()).isEqualTo("not_null_dim_books_book_id");
                    assertThat(e.relations()).singleElement().asString().endsWith("dim_books");
                });
                var relationships = result.results().stream()
                        .filter(r -> r.name().startsWith("relationships_dim_books")).findFirst().orElseThrow();
                assertThat(relationships.status()).isEqualTo(NodeStatus.ERROR);
                assertThat(((UnbuiltParentException) relationships.error()).relations()).hasSize(2);
            }
        }
    }

    @Test
    void testBeforeAnyBuildWithAllowUnbuiltSkipsSayingWhy() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture().soma(warehouse).allowUnbuilt(true).build()) {
                RunResult result = soma.test(Selection.of("dim_books"));

                assertThat(result.isSuccess()).isTrue();
                assertThat(result.results()).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(NodeStatus.SKIPPED);
                    assertThat(r.message()).startsWith("skipped (--allow-unbuilt)").contains("dim_books")
                            .contains("run soma build first");
                });
            }
        }
    }

    @Test
    void aTestWhoseParentAlreadyExistsRuns() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            ProjectFixture.rawTables(warehouse);
            try (Soma soma = fixture().soma(warehouse).build()) {
                assertThat(soma.build(Selection.of("dim_publishers")).isSuccess()).isTrue();
                RunResult result = soma.build(Selection.of("+fact_sales"));

                var relationships = result.results().stream()
                        .filter(r -> r.name().startsWith("relationships_dim_books")).findFirst().orElseThrow();
                assertThat(relationships.status()).isEqualTo(NodeStatus.PASS);
            }
        }
    }
}
