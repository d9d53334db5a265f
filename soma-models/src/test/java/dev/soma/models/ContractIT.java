package dev.soma.models;

import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ContractException;
import dev.soma.models.error.ContractException.Mismatch;
import dev.soma.models.error.ModelExecutionException;
import dev.soma.models.error.ProjectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model contracts (dbt's contract: {enforced: true}) end to end, dbt's documented behaviour as the oracle. */
class ContractIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    @TempDir
    Path dir;

    private static final String CONTRACT = """
            models:
              - name: books
                config:
                  contract: {enforced: true}
                columns:
                  - name: book_id
                    data_type: int
                    constraints:
                      - type: not_null
                      - type: primary_key
                  - name: title
                    data_type: text
                  - name: price
                    data_type: numeric(10,2)
                    constraints:
                      - type: check
                        expression: "price >= 0"
                  - name: published
                    data_type: datetime
            """;

    private ProjectFixture project(String sql, String yaml) {
        return ProjectFixture.in(dir.resolve("project"))
                .file("marts/books.sql", sql)
                .file("marts/_marts.yml", yaml);
    }

    private static final String GOOD = """
            select range::integer as book_id, 'Title ' || range as title, 1.5 * range as price,
                   timestamp '2025-01-01' as published
            from range(1, 6)
            """;

    private RunResult run(ProjectFixture project, Warehouse warehouse) {
        try (Soma soma = project.soma(warehouse).build()) {
            return soma.run(Selection.all());
        }
    }

    @Test
    void aMatchingContractBuildsTheTableWithDeclaredTypesAndConstraints() {
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            RunResult result = run(project(GOOD, CONTRACT), warehouse);
            assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
            assertThat(result.result("books").message()).isEqualTo("CREATE TABLE (5 rows)");
            assertThat(warehouse.queryList(CHECK, "SELECT column_name || ' ' || data_type FROM information_schema.columns "
                    + "WHERE table_name = 'books' ORDER BY ordinal_position", rs -> rs.getString(1)))
                    .containsExactly("book_id INTEGER", "title VARCHAR", "price DECIMAL(10,2)", "published TIMESTAMP");
            assertThat(warehouse.queryList(CHECK, "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'books' "
                    + "ORDER BY constraint_type", rs -> rs.getString(1)))
                    .contains("CHECK", "NOT NULL", "PRIMARY KEY");
            assertThat(warehouse.relationExists("analytics", "books__soma_tmp")).isFalse();
        }
    }

    @Test
    void aMismatchFailsTheModelWithDbtsTableOfColumns() {
        String sql = """
                select range::varchar as book_id, 'Title ' || range as title, timestamp '2025-01-01' as published,
                       'x' as isbn
                from range(1, 6)
                """;
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            RunResult result = run(project(sql, CONTRACT), warehouse);
            assertThat(result.result("books").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(result.result("books").error()).isInstanceOfSatisfying(ContractException.class, e -> {
                assertThat(e.model()).isEqualTo("books");
                assertThat(e.mismatches()).containsExactly(
                        new Mismatch("book_id", "VARCHAR", "INTEGER", "data type mismatch"),
                        new Mismatch("price", null, "DECIMAL(10,2)", "missing in definition"),
                        new Mismatch("isbn", "VARCHAR", null, "missing in contract"));
            });
            // golden: the wording of dbt's contract error
            assertThat(result.result("books").message()).isEqualTo("""
                    model books (marts/books.sql) has an enforced contract that failed.
                    Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.

                    | column_name | definition_type | contract_type | mismatch_reason       |
                    | ----------- | --------------- | ------------- | --------------------- |
                    | book_id     | VARCHAR         | INTEGER       | data type mismatch    |
                    | price       |                 | DECIMAL(10,2) | missing in definition |
                    | isbn        | VARCHAR         |               | missing in contract   |""");
            assertThat(warehouse.relationExists("analytics", "books")).isFalse();
        }
    }

    @Test
    void namesMatchWhateverTheirCaseAndOrder() {
        String sql = "select 'T' as TITLE, timestamp '2025-01-01' as published, 2.0 as price, 1 as Book_Id";
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            RunResult result = run(project(sql, CONTRACT), warehouse);
            assertThat(result.isSuccess()).as(result.failures().toString()).isTrue();
        }
    }

    @Test
    void aConstraintViolationFailsTheBuildAndKeepsTheOldTable() {
        ProjectFixture project = project(GOOD, CONTRACT);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            assertThat(run(project, warehouse).isSuccess()).isTrue();
            for (String bad : new String[]{
                    "select null::integer as book_id, 't' as title, 1.0 as price, timestamp '2025-01-01' as published",
                    "select 1 as book_id, 't' as title, 1.0 as price, timestamp '2025-01-01' as published "
                            + "union all select 1, 'u', 2.0, timestamp '2025-01-01'",
                    "select 1 as book_id, 't' as title, -1.0 as price, timestamp '2025-01-01' as published"}) {
                project.file("marts/books.sql", bad);
                RunResult failed = run(project, warehouse);
                assertThat(failed.result("books").status()).as(bad).isEqualTo(NodeStatus.ERROR);
                assertThat(failed.result("books").error()).isInstanceOf(ModelExecutionException.class);
                assertThat(failed.result("books").message()).containsIgnoringCase("constraint");
                assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.books")).isEqualTo(5);
            }
        }
    }

    @Test
    void modelLevelConstraintsAndFolderConfig() {
        ProjectFixture project = ProjectFixture.in(dir.resolve("project"))
                .file("soma_project.yml", """
                        name: fixture
                        models:
                          marts: {materialized: table, schema: analytics, +contract: {enforced: true}}
                        """)
                .file("marts/pairs.sql", "select 1 as a, 1 as b union all select 1, 2")
                .file("marts/_marts.yml", """
                        models:
                          - name: pairs
                            constraints:
                              - type: primary_key
                                columns: [a, b]
                              - type: check
                                expression: "a <= b"
                            columns:
                              - {name: a, data_type: integer}
                              - {name: b, data_type: int4}
                        """);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            RunResult ok = run(project, warehouse);
            assertThat(ok.isSuccess()).as(ok.failures().toString()).isTrue();
            project.file("marts/pairs.sql", "select 1 as a, 1 as b union all select 1, 1");
            assertThat(run(project, warehouse).result("pairs").status()).isEqualTo(NodeStatus.ERROR);
            project.file("marts/pairs.sql", "select 2 as a, 1 as b");
            assertThat(run(project, warehouse).result("pairs").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.pairs")).isEqualTo(2);
        }
    }

    @Test
    void anIncrementalModelKeepsItsContractOnLaterRuns() {
        String yaml = """
                models:
                  - name: events
                    config: {materialized: incremental, contract: {enforced: true}}
                    columns:
                      - name: id
                        data_type: bigint
                        constraints: [{type: not_null}, {type: unique}]
                      - name: v
                        data_type: varchar
                """;
        ProjectFixture project = ProjectFixture.in(dir.resolve("project"))
                .file("marts/events.sql", "select range as id, 'a' as v from range(3)")
                .file("marts/_marts.yml", yaml);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"))) {
            assertThat(run(project, warehouse).isSuccess()).isTrue();
            project.file("marts/events.sql", """
                    select range as id, 'b' as v from range(3, 5)
                    <#if is_incremental()>union all select null, 'c'</#if>
                    """);
            RunResult nullKey = run(project, warehouse);
            assertThat(nullKey.result("events").status()).isEqualTo(NodeStatus.ERROR);
            assertThat(nullKey.result("events").message()).containsIgnoringCase("not null");
            project.file("marts/events.sql", "select range as id, 42 as v from range(3, 5)");
            RunResult wrongType = run(project, warehouse);
            assertThat(wrongType.result("events").error()).isInstanceOfSatisfying(ContractException.class, e ->
                    assertThat(e.mismatches()).containsExactly(new Mismatch("v", "INTEGER", "VARCHAR", "data type mismatch")));
            project.file("marts/events.sql", "select range as id, 'b' as v from range(3, 5)");
            assertThat(run(project, warehouse).isSuccess()).isTrue();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.events")).isEqualTo(5);
        }
    }

    @Test
    void constraintsDuckDbCannotEnforceAreSaidOnce() {
        String yaml = """
                models:
                  - name: books
                    config: {materialized: view, contract: {enforced: true}}
                    columns:
                      - name: book_id
                        data_type: integer
                        constraints:
                          - type: not_null
                          - type: foreign_key
                            to: ref('other')
                            to_columns: [id]
                """;
        try (Warehouse warehouse = Warehouse.open(dir.resolve("w.duckdb"));
             Soma soma = project("select 1 as book_id", yaml).soma(warehouse).build()) {
            assertThat(soma.warnings()).hasSize(1);
            assertThat(soma.warnings().get(0).message()).contains("not_null is not enforced on a view",
                    "foreign_key is not enforced on a view");
            assertThat(soma.run(Selection.all()).isSuccess()).isTrue();
        }
    }

    @Test
    void aContractTypeThatDoesNotParseIsAProjectErrorAtItsLine() {
        String yaml = CONTRACT.replace("data_type: text", "data_type: txet");
        try (Warehouse warehouse = Warehouse.inMemory()) {
            assertThatThrownBy(() -> project(GOOD, yaml).soma(warehouse).build().close())
                    .isInstanceOfSatisfying(ProjectException.class, e -> {
                        assertThat(e.location().file()).isEqualTo("marts/_marts.yml");
                        assertThat(e.location().line()).isEqualTo(12);
                        assertThat(e.getMessage()).contains("column title of model books has data_type 'txet'");
                    });
            String noType = CONTRACT.replace("    data_type: datetime\n", "");
            assertThatThrownBy(() -> project(GOOD, noType).soma(warehouse).build().close())
                    .isInstanceOfSatisfying(ProjectException.class, e -> {
                        assertThat(e.location().line()).isEqualTo(18);
                        assertThat(e.getMessage()).contains("column published of model books has no data_type");
                    });
            String badConstraint = CONTRACT.replace("type: primary_key", "type: primay_key");
            assertThatThrownBy(() -> project(GOOD, badConstraint).soma(warehouse).build().close())
                    .isInstanceOfSatisfying(ProjectException.class, e -> {
                        assertThat(e.location().line()).isEqualTo(10);
                        assertThat(e.getMessage()).contains("unknown type 'primay_key'", "did you mean 'primary_key'");
                    });
        }
    }
}
