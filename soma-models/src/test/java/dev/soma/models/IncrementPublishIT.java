package dev.soma.models;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.Selection;
import dev.soma.models.api.ShadowRelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incremental model in a write-audit-publish build: its shadow is a view of the live table with the
 * increment applied (nothing the size of the live table is copied), its tests and downstream models read
 * that view, and publishing applies the increment to the live table in the publish transaction. Every
 * case is checked against a plain build of the same project on a second database, row for row.
 */
class IncrementPublishIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");

    private static final String ITEMS_SOURCE = """
            sources:
              - name: raw
                tables:
                  - name: items
            """;

    @TempDir
    Path dir;

    /**
     * raw.items (id, amount, version) → items (incremental by {@code strategy} on id, taking the rows of a
     * newer version) → totals (table) → report (view); items.id is tested not null, and unique where the
     * case keeps it so (delete+insert; insert_overwrite, partitioned by id).
     */
    private ProjectFixture project(String strategy, String amountType) {
        String uniqueKey = strategy.equals("append") ? "" : strategy.equals("insert_overwrite") ? " partition_by=\"id\""
                : " unique_key=\"id\"";
        return ProjectFixture.in(dir.resolve("project-" + strategy))
                .file("sources.yml", ITEMS_SOURCE)
                .file("marts/items.sql", """
                        <@config materialized="incremental" incremental_strategy="%s"%s/>
                        select id, <#if is_incremental()>amount::%s<#else>amount::BIGINT</#if> as amount, version
                        from ${source("raw", "items")}
                        <#if is_incremental()>where version > (select max(version) from ${this})</#if>
                        """.formatted(strategy, uniqueKey, amountType))
                .file("marts/totals.sql", """
                        select count(*) as items, sum(amount) as amount, max(version) as version from ${ref("items")}
                        """)
                .file("marts/report.sql", """
                        <@config materialized="view"/>
                        select items, amount, version from ${ref("totals")}
                        """)
                .file("marts/schema.yml", """
                        models:
                          - name: items
                            columns:
                              - name: id
                                tests: [not_null%s]
                        """.formatted(strategy.equals("delete+insert") || strategy.equals("insert_overwrite") ? ", unique" : ""));
    }

    private Warehouse warehouse(String name) {
        Warehouse warehouse = Warehouse.open(dir.resolve(name + ".duckdb"));
        warehouse.createSchema("raw");
        warehouse.execute(CHECK, "CREATE TABLE raw.items AS SELECT i AS id, i * 10 AS amount, 1 AS version FROM range(1, 101) t(i)");
        return warehouse;
    }

    /** Version 2 of the data: ten changed items (ids 1-10) and ten new ones (101-110). */
    private static void secondVersion(Warehouse warehouse) {
        warehouse.execute(CHECK, "INSERT INTO raw.items SELECT i, i * 1000, 2 FROM range(1, 11) t(i) "
                + "UNION ALL SELECT i, i * 10, 2 FROM range(101, 111) t(i)");
    }

    /** A relation's rows as a multiset: count and the sum of the rows' hashes, with its column names and types. */
    private static String content(Warehouse warehouse, String relation) {
        String[] parts = relation.split("\\.");
        return warehouse.query(CHECK, "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) FROM "
                + "duckdb_columns() WHERE schema_name = '" + parts[0] + "' AND table_name = '" + parts[1] + "'",
                rs -> rs.next() ? rs.getString(1) : "?")
                + " | " + warehouse.query(CHECK, "SELECT count(*) || ':' || sum(hash(r)) FROM " + relation + " r",
                rs -> rs.next() ? rs.getString(1) : "?");
    }

    private static List<String> tables(Warehouse warehouse, String like) {
        return warehouse.queryList(CHECK, "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE table_name LIKE '"
                + like + "' ORDER BY 1", rs -> rs.getString(1));
    }

    private static List<String> views(Warehouse warehouse, String like) {
        return warehouse.queryList(CHECK, "SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE view_name LIKE '"
                + like + "' ORDER BY 1", rs -> rs.getString(1));
    }

    /** {@code merge, repeated key}: the live table holds a key twice, so a merge row matching it changes both rows. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"append", "merge", "merge, repeated key", "delete+insert", "insert_overwrite"})
    void anAuditedIncrementIsAViewOverLiveAndPublishesToWhatAPlainBuildMakes(String strategyCase) {
        String strategy = strategyCase.split(",")[0];
        ProjectFixture fixture = project(strategy, "BIGINT");
        try (Warehouse plain = warehouse("plain"); Warehouse wap = warehouse("wap")) {
            for (Warehouse warehouse : List.of(plain, wap)) {
                buildPlainly(fixture, warehouse);
                if (strategyCase.endsWith("repeated key")) {
                    warehouse.execute(CHECK, "INSERT INTO analytics.items VALUES (5, 50, 1)");
                }
                secondVersion(warehouse);
            }
            String liveBefore = content(wap, "analytics.items");
            buildPlainly(fixture, plain);
            try (Soma soma = fixture.soma(wap).build()) {
                PublishedBuild audited = soma.build(Selection.all(), Publishing.AUDIT);
                assertThat(auditedItemsKind(audited)).isEqualTo(ShadowRelation.INCREMENT);
                // Nothing was copied: the shadow is a view, the increment sits in soma_meta, live is untouched.
                assertThat(tables(wap, "items__audit")).isEmpty();
                assertThat(views(wap, "items__audit")).containsExactly("analytics.items__audit");
                assertThat(tables(wap, "shadow_delta%")).containsExactly("soma_meta.shadow_delta__analytics__items");
                assertThat(wap.queryLong(CHECK, "SELECT count(*) FROM soma_meta.shadow_delta__analytics__items")).isEqualTo(20);
                assertThat(content(wap, "analytics.items")).isEqualTo(liveBefore);
                // The shadow, and what was built from it, read as the plain build's relations do.
                assertThat(rows(wap, "analytics.items__audit")).isEqualTo(rows(plain, "analytics.items"));
                assertThat(content(wap, "analytics.totals__audit").split(" \\| ")[1])
                        .isEqualTo(content(plain, "analytics.totals").split(" \\| ")[1]);

                assertThat(soma.publish().state()).isEqualTo(PublishState.PUBLISHED);
            }
            for (String relation : List.of("analytics.items", "analytics.totals", "analytics.report")) {
                assertThat(content(wap, relation)).as(relation).isEqualTo(content(plain, relation));
            }
            assertThat(tables(wap, "%audit")).isEmpty();
            assertThat(views(wap, "%audit")).isEmpty();
            assertThat(tables(wap, "shadow_delta%")).isEmpty();
        }
    }

    @Test
    void anIncrementWithOtherColumnTypesIsAppliedToACopyOfLiveInstead() {
        // The increment's amount is an INTEGER where the table holds BIGINT: applying it casts, which a view
        // over live cannot show, so the shadow is a copy of live with the increment applied.
        ProjectFixture fixture = project("merge", "INTEGER");
        try (Warehouse plain = warehouse("plain"); Warehouse wap = warehouse("wap")) {
            for (Warehouse warehouse : List.of(plain, wap)) {
                buildPlainly(fixture, warehouse);
                secondVersion(warehouse);
            }
            buildPlainly(fixture, plain);
            try (Soma soma = fixture.soma(wap).build()) {
                PublishedBuild audited = soma.build(Selection.all(), Publishing.AUDIT);
                assertThat(auditedItemsKind(audited)).isEqualTo(ShadowRelation.TABLE);
                assertThat(tables(wap, "items__audit")).containsExactly("analytics.items__audit");
                assertThat(tables(wap, "shadow_delta%")).isEmpty();
                assertThat(soma.publish().state()).isEqualTo(PublishState.PUBLISHED);
            }
            for (String relation : List.of("analytics.items", "analytics.totals")) {
                assertThat(content(wap, relation)).as(relation).isEqualTo(content(plain, relation));
            }
        }
    }

    @Test
    void aFailingTestOnTheIncrementLeavesLiveAsItWasAndDiscardDropsTheIncrement() {
        ProjectFixture fixture = project("append", "BIGINT").file("tests/no_big_amounts.sql", """
                select * from ${ref("items")} where amount > 5000
                """);
        try (Warehouse wap = warehouse("wap")) {
            buildPlainly(fixture, wap);
            secondVersion(wap);
            String live = content(wap, "analytics.items");
            try (Soma soma = fixture.soma(wap).build()) {
                PublishedBuild failed = soma.build(Selection.all(), Publishing.PUBLISH);
                assertThat(failed.publish().state()).isEqualTo(PublishState.FAILED);
                assertThat(failed.publish().failedTests()).containsExactly("no_big_amounts");
                assertThat(content(wap, "analytics.items")).isEqualTo(live);
                // The shadow shows what failed: live plus the increment with amounts up to 10,000.
                assertThat(wap.queryLong(CHECK, "SELECT count(*) FROM analytics.items__audit WHERE amount > 5000")).isEqualTo(5);
                assertThat(soma.discard().state()).isEqualTo(PublishState.DISCARDED);
            }
            assertThat(views(wap, "items__audit")).isEmpty();
            assertThat(tables(wap, "shadow_delta%")).isEmpty();
            assertThat(content(wap, "analytics.items")).isEqualTo(live);
        }
    }

    @Test
    void aReaderNeverSeesAnIncrementLiveWithoutWhatIsBuiltFromIt() throws Exception {
        ProjectFixture fixture = project("append", "BIGINT");
        try (Warehouse wap = warehouse("wap")) {
            try (Soma soma = fixture.soma(wap).build()) {
                assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
            }
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> mix = new AtomicReference<>();
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            Thread reader = new Thread(() -> {
                try (Session session = wap.openSession()) {
                    while (!done.get() && mix.get() == null) {
                        List<Long> row = session.query(CHECK, "SELECT (SELECT max(version) FROM analytics.items), "
                                + "(SELECT version FROM analytics.totals), (SELECT version FROM analytics.report), "
                                + "(SELECT count(*) FROM analytics.items) - (SELECT items FROM analytics.totals)", rs -> {
                                    rs.next();
                                    List<Long> values = new ArrayList<>();
                                    for (int i = 1; i <= 4; i++) {
                                        values.add(rs.getLong(i));
                                    }
                                    return values;
                                });
                        if (!row.get(0).equals(row.get(1)) || !row.get(1).equals(row.get(2)) || row.get(3) != 0) {
                            mix.set(row.toString());
                        }
                        seen.add(row.get(0));
                    }
                }
            }, "reader");
            reader.start();
            try {
                for (int version = 2; version <= 6; version++) {
                    wap.execute(CHECK, "INSERT INTO raw.items SELECT i, i, " + version + " FROM range(1, 1001) t(i)");
                    try (Soma soma = fixture.soma(wap).build()) {
                        assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
                    }
                }
            } finally {
                done.set(true);
                reader.join();
            }
            assertThat(mix.get()).as("max(items.version), totals.version, report.version, items rows - totals.items").isNull();
            assertThat(seen).as("the reader saw several publishes").hasSizeGreaterThan(1);
            assertThat(wap.queryLong(CHECK, "SELECT count(*) FROM analytics.items")).isEqualTo(100 + 5 * 1000);
        }
    }

    /**
     * The tests of a publish build check only its increment when the live table passed them last, as a
     * plain build's do; a shadow that never went live is no evidence: after one, the whole table is tested.
     */
    @Test
    void aPublishBuildTestsOnlyTheIncrementWhenLivePassedButNeverTrustsAShadowThatDidNotGoLive() {
        ProjectFixture fixture = ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", ITEMS_SOURCE)
                .file("marts/items.sql", """
                        <@config materialized="incremental" incremental_strategy="append"/>
                        select id, amount, version from ${source("raw", "items")}
                        where <#if var("skip_nulls", false)>amount is not null<#else>true</#if>
                        <#if is_incremental()>and version > (select max(version) from ${this})</#if>
                        """)
                .file("marts/schema.yml", """
                        models:
                          - name: items
                            columns:
                              - name: amount
                                tests: [not_null]
                        """);
        try (Warehouse wap = warehouse("wap")) {
            buildPlainly(fixture, wap);
            secondVersion(wap);
            try (Soma soma = fixture.soma(wap).build()) {
                PublishedBuild published = soma.build(Selection.all(), Publishing.PUBLISH);
                assertThat(published.publish().state()).isEqualTo(PublishState.PUBLISHED);
                assertThat(testMessage(published)).isEqualTo("pass (checked the 20 rows this run added or changed)");
            }

            // A NULL amount goes live in a plain build, and its test fails.
            wap.execute(CHECK, "INSERT INTO raw.items VALUES (500, NULL, 3)");
            try (Soma soma = fixture.soma(wap).build()) {
                assertThat(soma.build(Selection.all()).isSuccess()).isFalse();
            }
            // A full rebuild that skips it passes in the shadow, and is thrown away: live keeps the NULL.
            try (Soma soma = fixture.soma(wap).vars(Map.of("skip_nulls", true)).fullRefresh(true).build()) {
                assertThat(soma.build(Selection.all(), Publishing.AUDIT).publish().state()).isEqualTo(PublishState.AUDITED);
                soma.discard();
            }
            wap.execute(CHECK, "INSERT INTO raw.items VALUES (501, 1, 4)");
            try (Soma soma = fixture.soma(wap).vars(Map.of("skip_nulls", true)).build()) {
                PublishedBuild next = soma.build(Selection.all(), Publishing.PUBLISH);
                assertThat(testMessage(next)).isEqualTo("1 failing row");
                assertThat(next.publish().state()).isEqualTo(PublishState.FAILED);
            }
        }
    }

    private static String testMessage(PublishedBuild build) {
        return build.run().results().stream().filter(r -> r.name().equals("not_null_items_amount")).findFirst()
                .orElseThrow().message();
    }

    private static void buildPlainly(ProjectFixture fixture, Warehouse warehouse) {
        try (Soma soma = fixture.soma(warehouse).build()) {
            assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
        }
    }

    /** How a passing audit keeps items: as an increment beside live, or as a table. */
    private static String auditedItemsKind(PublishedBuild audited) {
        assertThat(audited.isSuccess()).as(String.valueOf(audited.run().failures())).isTrue();
        return audited.publish().relations().stream().filter(r -> r.model().equals("items")).findFirst().orElseThrow().kind();
    }

    /** A relation's rows, sorted, as text: for comparing a view with a table. */
    private static List<String> rows(Warehouse warehouse, String relation) {
        return warehouse.queryList(CHECK, "SELECT id || ',' || amount || ',' || version FROM " + relation + " ORDER BY 1",
                rs -> rs.getString(1));
    }
}
