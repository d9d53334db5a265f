package dev.soma.models;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.PublishResult;
import dev.soma.models.api.PublishState;
import dev.soma.models.api.PublishedBuild;
import dev.soma.models.api.Publishing;
import dev.soma.models.api.Selection;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.PublishRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Write-audit-publish on a real DuckDB file: the shadow, the gate, the one-transaction publish. */
class PublishIT {

    private static final SqlOwner CHECK = SqlOwner.loader("check");
    private static final List<String> LIVE = List.of("staging.stg_sales", "analytics.fact_sales", "analytics.book_totals",
            "analytics.sales_report");

    @TempDir
    Path dir;

    /**
     * raw.sales → stg_sales (view) → fact_sales (incremental on transaction_id) → book_totals (table) →
     * sales_report (view). Every model carries the {@code version} var; the singular test fails when a
     * book sold more than {@code max_quantity}.
     */
    private ProjectFixture project() {
        return ProjectFixture.in(dir.resolve("project"))
                .file("sources.yml", ProjectFixture.SOURCES)
                .file("staging/stg_sales.sql", """
                        select transaction_id, book_id, quantity, ${var("version", 1)} as version
                        from ${source("raw", "sales")}
                        """)
                .file("marts/fact_sales.sql", """
                        <@config materialized="incremental" unique_key="transaction_id"/>
                        select * from ${ref("stg_sales")}
                        <#if is_incremental()>where transaction_id > (select max(transaction_id) from ${this})</#if>
                        """)
                .file("marts/book_totals.sql", """
                        select book_id, sum(quantity) as quantity, max(version) as version, ${var("version", 1)} as built
                        from ${ref("fact_sales")} group by book_id
                        """)
                .file("marts/sales_report.sql", """
                        <@config materialized="view"/>
                        select book_id, quantity, built from ${ref("book_totals")}
                        """)
                .file("tests/no_bestseller_over_max.sql", """
                        select * from ${ref("book_totals")} where quantity > ${var("max_quantity", 1000000)}
                        """);
    }

    private Warehouse warehouse() {
        Warehouse warehouse = Warehouse.open(dir.resolve("wap.duckdb"));
        ProjectFixture.rawTables(warehouse);
        return warehouse;
    }

    private static Soma soma(ProjectFixture fixture, Warehouse warehouse, Map<String, Object> vars) {
        return fixture.soma(warehouse).vars(vars).build();
    }

    /** Per live relation: a table's row count and hash of all rows, a view's definition and its rows' hash. */
    private static Map<String, String> checksums(Warehouse warehouse) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String relation : LIVE) {
            String[] parts = relation.split("\\.");
            String type = warehouse.relationType(parts[0], parts[1]);
            String definition = "view".equals(type) ? warehouse.query(CHECK, "SELECT sql FROM duckdb_views() WHERE schema_name = '"
                    + parts[0] + "' AND view_name = '" + parts[1] + "'", rs -> rs.next() ? rs.getString(1) : "?") : "";
            sums.put(relation, type + ":" + definition + ":" + warehouse.query(CHECK, "SELECT count(*) || ':' || sum(hash(r)) FROM "
                    + relation + " r", rs -> rs.next() ? rs.getString(1) : "?"));
        }
        return sums;
    }

    private static Set<String> shadows(Warehouse warehouse) {
        return new TreeSet<>(warehouse.queryList(CHECK, "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
                + "WHERE table_name LIKE '%\\_\\_audit' ESCAPE '\\' UNION ALL SELECT schema_name || '.' || view_name "
                + "FROM duckdb_views() WHERE view_name LIKE '%\\_\\_audit' ESCAPE '\\'", rs -> rs.getString(1)));
    }

    @Test
    void aFailingTestLeavesEveryLiveRelationByteIdenticalAndKeepsTheShadow() {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse()) {
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
                assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
            }
            Map<String, String> before = checksums(warehouse);
            PublishedBuild failed;
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 2, "max_quantity", 15))) {
                failed = soma.build(Selection.all(), Publishing.PUBLISH);
            }
            assertThat(failed.isSuccess()).isFalse();
            assertThat(failed.publish().state()).isEqualTo(PublishState.FAILED);
            assertThat(failed.publish().failedTests()).containsExactly("no_bestseller_over_max");
            assertThat(failed.publish().summary()).contains("no_bestseller_over_max failed", "analytics.book_totals__audit",
                    "live relations are unchanged");
            assertThat(checksums(warehouse)).isEqualTo(before);
            assertThat(warehouse.queryLong(CHECK, "SELECT max(built) FROM analytics.sales_report")).isEqualTo(1);
            // The shadow stays for a look, holding the data that failed; sales_report, gated by the test, was not built.
            assertThat(shadows(warehouse)).containsExactly("analytics.book_totals__audit", "analytics.fact_sales__audit",
                    "staging.stg_sales__audit");
            assertThat(warehouse.queryLong(CHECK, "SELECT max(built) FROM analytics.book_totals__audit")).isEqualTo(2);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.publishes WHERE state = 'failed' "
                    + "AND audit_result = 'fail' AND run_id = '" + failed.run().runId() + "'")).isEqualTo(1);
        }
    }

    @Test
    void aPassingBuildMakesEveryRelationLiveAndViewsPointAtLiveNames() throws Exception {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse()) {
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
                assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
            }
            warehouse.execute(CHECK, "INSERT INTO raw.sales SELECT 'TXN_' || lpad(i::VARCHAR, 8, '0'), 'BOOK_000001', 1 "
                    + "FROM range(101, 121) t(i)");
            PublishedBuild published;
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 2))) {
                // sales_report stays out: a view downstream of a published table must read the new table.
                published = soma.build(Selection.of("stg_sales fact_sales book_totals"), Publishing.PUBLISH);
            }
            assertThat(published.isSuccess()).as(String.valueOf(published.run().failures())).isTrue();
            assertThat(published.publish().state()).isEqualTo(PublishState.PUBLISHED);
            assertThat(published.publish().relations()).extracting(r -> r.live().toString())
                    .containsExactly("staging.stg_sales", "analytics.fact_sales", "analytics.book_totals");
            assertThat(shadows(warehouse)).isEmpty();
            // The incremental shadow started from the live table: the old rows keep version 1, the increment has 2.
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.fact_sales WHERE version = 1")).isEqualTo(100);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.fact_sales WHERE version = 2")).isEqualTo(20);
            assertThat(warehouse.queryLong(CHECK, "SELECT min(built) FROM analytics.sales_report")).isEqualTo(2);
            assertThat(warehouse.queryLong(CHECK, "SELECT max(version) FROM staging.stg_sales")).isEqualTo(2);
            String viewSql = warehouse.query(CHECK, "SELECT string_agg(sql, ' ') FROM duckdb_views() WHERE NOT internal "
                    + "AND schema_name IN ('staging', 'analytics')", rs -> rs.next() ? rs.getString(1) : "");
            assertThat(viewSql).doesNotContain("__audit").contains("FROM raw.sales", "FROM analytics.book_totals");
            // The manifest describes the project as readers see it, on live names.
            String manifest = Files.readString(fixture.root().resolve("target/manifest.json"));
            assertThat(manifest).contains("\\\"analytics\\\".\\\"fact_sales\\\"").doesNotContain("__audit");
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.publishes WHERE state = 'published' "
                    + "AND audit_result = 'pass' AND published_at IS NOT NULL AND run_id = '" + published.run().runId() + "'"))
                    .isEqualTo(1);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.publish_relations WHERE run_id = '"
                    + published.run().runId() + "'")).isEqualTo(3);
        }
    }

    @Test
    void publishMakesAnAuditedShadowLiveAndRefusesWhenLiveChangedSinceTheAudit() {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse()) {
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
                assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
                assertThatThrownBy(soma::publish).isInstanceOfSatisfying(PublishRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PublishRefusedException.Reason.NO_SHADOW))
                        .hasMessageContaining("soma build --audit");
            }
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 2))) {
                PublishedBuild audited = soma.build(Selection.all(), Publishing.AUDIT);
                assertThat(audited.publish().state()).isEqualTo(PublishState.AUDITED);
                assertThat(warehouse.queryLong(CHECK, "SELECT max(built) FROM analytics.book_totals")).isEqualTo(1);
                warehouse.execute(CHECK, "INSERT INTO analytics.book_totals VALUES ('BOOK_999999', 1, 1, 1)");
                Map<String, String> changed = checksums(warehouse);
                assertThatThrownBy(soma::publish).isInstanceOfSatisfying(PublishRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PublishRefusedException.Reason.LIVE_CHANGED);
                    assertThat(e.relations()).containsExactly("analytics.book_totals");
                });
                assertThat(checksums(warehouse)).isEqualTo(changed);

                PublishResult discarded = soma.discard();
                assertThat(discarded.state()).isEqualTo(PublishState.DISCARDED);
                assertThat(shadows(warehouse)).isEmpty();
                assertThat(checksums(warehouse)).isEqualTo(changed);

                assertThat(soma.build(Selection.all(), Publishing.AUDIT).publish().state()).isEqualTo(PublishState.AUDITED);
                PublishResult published = soma.publish();
                assertThat(published.state()).isEqualTo(PublishState.PUBLISHED);
                assertThat(warehouse.queryLong(CHECK, "SELECT min(built) FROM analytics.sales_report")).isEqualTo(2);
                assertThat(shadows(warehouse)).isEmpty();
                assertThat(soma.publishes()).extracting(PublishResult::state)
                        .containsExactlyInAnyOrder(PublishState.PUBLISHED, PublishState.DISCARDED);
            }
        }
    }

    @Test
    void publishRefusesAShadowWhoseAuditFailed() {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse(); Soma soma = soma(fixture, warehouse, Map.of("max_quantity", 0))) {
            assertThat(soma.build(Selection.all(), Publishing.AUDIT).publish().state()).isEqualTo(PublishState.FAILED);
            assertThatThrownBy(soma::publish).isInstanceOfSatisfying(PublishRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(PublishRefusedException.Reason.AUDIT_FAILED))
                    .hasMessageContaining("no_bestseller_over_max").hasMessageContaining("soma publish --discard");
            assertThat(warehouse.relationExists("analytics", "book_totals")).isFalse();
        }
    }

    @Test
    void aReaderOnAnotherConnectionNeverSeesAMixOfOldAndNewRelations() throws Exception {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse()) {
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
                assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
            }
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> mix = new AtomicReference<>();
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            Thread reader = new Thread(() -> {
                try (Session session = warehouse.openSession()) {
                    while (!done.get() && mix.get() == null) {
                        // One statement reads all four relations from one snapshot of the catalog and data.
                        List<Long> versions = session.query(CHECK, "SELECT (SELECT min(version) FROM staging.stg_sales), "
                                + "(SELECT max(version) FROM staging.stg_sales), (SELECT max(built) FROM analytics.book_totals), "
                                + "(SELECT min(built) FROM analytics.sales_report), (SELECT max(version) FROM analytics.fact_sales)",
                                rs -> {
                                    rs.next();
                                    List<Long> row = new ArrayList<>();
                                    for (int i = 1; i <= 5; i++) {
                                        row.add(rs.getLong(i));
                                    }
                                    return row;
                                });
                        if (new TreeSet<>(versions).size() != 1) {
                            mix.set(versions.toString());
                        }
                        seen.add(versions.get(0));
                    }
                }
            }, "reader");
            reader.start();
            try {
                for (int version = 2; version <= 6; version++) {
                    // A full refresh makes every row of every relation carry the new version.
                    try (Soma soma = fixture.soma(warehouse).vars(Map.of("version", version)).fullRefresh(true).build()) {
                        assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
                    }
                }
            } finally {
                done.set(true);
                reader.join();
            }
            assertThat(mix.get()).as("versions one query saw").isNull();
            assertThat(seen).as("the reader saw several publishes").hasSizeGreaterThan(1);
        }
    }

    @Test
    void aFailedBuildNamesOnlyTheShadowsItBuiltAndDiscardDropsThemAll() {
        ProjectFixture fixture = project().file("tests/few_sales_per_row.sql", """
                select * from ${ref("stg_sales")} where quantity > ${var("max_row_quantity", 1000)}
                """);
        try (Warehouse warehouse = warehouse()) {
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
                assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
            }
            try (Soma soma = soma(fixture, warehouse, Map.of("version", 2, "max_row_quantity", 2))) {
                PublishedBuild failed = soma.build(Selection.all(), Publishing.PUBLISH);
                assertThat(failed.publish().failedTests()).containsExactly("few_sales_per_row");
                // fact_sales was skipped: its shadow (a view of live, ready for its increment) is nothing to look at.
                assertThat(failed.publish().relations()).extracting(r -> r.shadow().toString())
                        .containsExactly("staging.stg_sales__audit");
                assertThat(soma.discard().state()).isEqualTo(PublishState.DISCARDED);
            }
            assertThat(shadows(warehouse)).isEmpty();
        }
    }

    @Test
    void aLedgerFromBeforeIncrementsWereKeptBesideLiveGainsTheirColumn() {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse(); Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
            assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
            warehouse.execute(CHECK, "ALTER TABLE soma_meta.publish_relations DROP COLUMN apply_sql");
            warehouse.execute(CHECK, "INSERT INTO raw.sales SELECT 'TXN_' || lpad(i::VARCHAR, 8, '0'), 'BOOK_000001', 1 "
                    + "FROM range(101, 106) t(i)");
            assertThat(soma.build(Selection.all(), Publishing.PUBLISH).publish().state()).isEqualTo(PublishState.PUBLISHED);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.fact_sales")).isEqualTo(105);
        }
    }

    @Test
    void aRelationUnderAShadowNameThatSomaDidNotMakeIsNeverReplaced() {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse(); Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
            assertThat(soma.build(Selection.all()).isSuccess()).isTrue();
            // Someone's own audit table, named as book_totals's shadow would be.
            warehouse.execute(CHECK, "CREATE TABLE analytics.book_totals__audit AS SELECT 'kept' AS note FROM range(3)");
            Map<String, String> before = checksums(warehouse);
            assertThatThrownBy(() -> soma.build(Selection.all(), Publishing.PUBLISH)).isInstanceOf(ProjectException.class)
                    .hasMessageContaining("analytics.book_totals__audit (the shadow of book_totals) already exists and was "
                            + "not made by a Soma publish build")
                    .hasMessageContaining("Rename or drop it");
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.book_totals__audit WHERE note = 'kept'"))
                    .isEqualTo(3);
            assertThat(checksums(warehouse)).isEqualTo(before);
            assertThat(shadows(warehouse)).containsExactly("analytics.book_totals__audit");
        }
    }

    @Test
    void whatABuildKilledBeforeItsAuditLeftIsRefusedForPublishingAndDroppedByTheNextBuild() {
        ProjectFixture fixture = project();
        try (Warehouse warehouse = warehouse(); Soma soma = soma(fixture, warehouse, Map.of("version", 1))) {
            assertThat(soma.build(Selection.all(), Publishing.PUBLISH).isSuccess()).isTrue();
            // As a build killed mid-way leaves it: recorded as building, one shadow table made.
            warehouse.execute(CHECK, "INSERT INTO soma_meta.publishes VALUES ('killed-run', 'building', 'pending', NULL, "
                    + "now()::TIMESTAMP, NULL, NULL)");
            warehouse.execute(CHECK, "INSERT INTO soma_meta.publish_relations (run_id, position, model, live_schema, live_name, "
                    + "shadow_name, kind) VALUES ('killed-run', 0, 'book_totals', 'analytics', 'book_totals', "
                    + "'book_totals__audit', 'table')");
            warehouse.execute(CHECK, "CREATE TABLE analytics.book_totals__audit AS SELECT * FROM analytics.book_totals LIMIT 1");
            assertThatThrownBy(soma::publish).isInstanceOfSatisfying(PublishRefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(PublishRefusedException.Reason.NO_SHADOW))
                    .hasMessageContaining("stopped while building its shadow");

            assertThat(soma.build(Selection.all(), Publishing.PUBLISH).publish().state()).isEqualTo(PublishState.PUBLISHED);
            assertThat(shadows(warehouse)).isEmpty();
            assertThat(warehouse.queryList(CHECK, "SELECT state FROM soma_meta.publishes WHERE run_id = 'killed-run'",
                    rs -> rs.getString(1))).containsExactly("discarded");
        }
    }

    @Test
    void aTargetCanMakePublishingTheDefault() {
        ProjectFixture fixture = project().file("soma_project.yml", """
                name: fixture
                version: 1.0.0
                models:
                  staging: {materialized: view, schema: staging}
                  marts: {materialized: table, schema: analytics}
                targets:
                  dev: {database: dev.duckdb}
                  prod: {database: prod.duckdb, publish: true}
                default_target: dev
                """);
        try (Warehouse warehouse = warehouse()) {
            try (Soma soma = fixture.soma(warehouse).build()) {
                assertThat(soma.defaultPublishing()).isEqualTo(Publishing.OFF);
            }
            try (Soma soma = fixture.soma(warehouse).target("prod").build()) {
                assertThat(soma.defaultPublishing()).isEqualTo(Publishing.PUBLISH);
            }
        }
    }
}
