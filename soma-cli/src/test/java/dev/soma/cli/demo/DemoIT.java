package dev.soma.cli.demo;

import dev.soma.cli.CliRun;
import dev.soma.cli.TestProject;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code soma demo} end to end, on the project bundled with the CLI: every model built with rows,
 * every test passing, revenue reconciled to the cent, and the planted A/B lift recovered.
 */
class DemoIT {

    private static final SqlOwner CHECK = SqlOwner.loader("demo check");
    private static final List<String> MODELS = List.of(
            "staging.stg_publishers", "staging.stg_books", "staging.stg_sales", "staging.stg_inventory",
            "staging.stg_campaign_events", "staging.stg_rejected_rows",
            "analytics.dim_books", "analytics.dim_publishers", "analytics.fact_sales", "analytics.fact_inventory",
            "ml_features.book_features", "ml_features.demand_forecasting_features",
            "experiments.ab_test_base", "experiments.ab_test_summary", "experiments.ab_test_lift_analysis");

    @TempDir
    Path dir;

    private CliRun demo(Path db, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "demo";
        all[1] = "--db=" + db;
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    private static void assertBuiltAndReconciled(Warehouse warehouse) {
        for (String model : MODELS) {
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM " + model)).as(model).isPositive();
        }
        BigDecimal raw = warehouse.query(CHECK, "SELECT sum(total_amount) FROM raw.sales", rs -> {
            rs.next();
            return rs.getBigDecimal(1);
        });
        BigDecimal fact = warehouse.query(CHECK, "SELECT sum(total_amount) FROM analytics.fact_sales", rs -> {
            rs.next();
            return rs.getBigDecimal(1);
        });
        assertThat(fact).isEqualByComparingTo(raw);
        assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM analytics.fact_sales"))
                .isEqualTo(warehouse.queryLong(CHECK, "SELECT count(*) FROM raw.sales"));
    }

    @Test
    void atScaleOneEverythingBuildsAndEveryTestPasses() {
        Path db = dir.resolve("small.duckdb");
        CliRun run = demo(db, "--scale", "1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        // 138 data tests and the bundled project's 4 unit tests
        assertThat(run.out()).contains("16 models, 1 snapshot and 142 tests").contains("3. Tests: 142 pass\n")
                .contains("4. Top books by revenue").contains("5. A/B experiments")
                .contains("6. Publishing safely").contains("failed in the shadow: unique_stg_sales_transaction_id")
                .contains("analytics.fact_sales unchanged: ").contains("discarded");
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertBuiltAndReconciled(warehouse);
            // The demo's build passes everything; its publish step then fails on purpose, and is recorded so.
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.node_results WHERE status NOT IN ('success', 'pass') "
                    + "AND run_id = (SELECT run_id FROM soma_meta.runs ORDER BY started_at LIMIT 1)")).isZero();
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM soma_meta.publishes WHERE state = 'discarded' "
                    + "AND audit_result = 'fail'")).isEqualTo(1);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%audit'")
                    + warehouse.queryLong(CHECK, "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE '%audit'")).isZero();
        }
    }

    @Test
    void atScaleTwentyThePlantedLiftIsRecovered() {
        Path db = dir.resolve("medium.duckdb");
        CliRun run = demo(db, "--scale", "20");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("tests in").contains(" pass\n").doesNotContain("WARN").doesNotContain("FAIL");
        try (Warehouse warehouse = Warehouse.open(db)) {
            assertBuiltAndReconciled(warehouse);
            long experiments = warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis");
            assertThat(experiments).isEqualTo(60);
            // The true relative lift, 0.10, lies inside ~95% of the per-experiment 95% intervals.
            long covering = warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis "
                    + "WHERE relative_lift_ci_low <= 0.10 AND 0.10 <= relative_lift_ci_high");
            assertThat((double) covering / experiments).isGreaterThanOrEqualTo(0.85);
            // Large enough to detect it: most experiments are significant, and say the treatment wins.
            long wins = warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis "
                    + "WHERE is_significant AND verdict = 'Treatment wins'");
            assertThat((double) wins / experiments).isGreaterThanOrEqualTo(0.75);
            double pooled = warehouse.query(CHECK, "SELECT sum(treatment_clicks)::DOUBLE / sum(treatment_impressions) "
                    + "/ (sum(control_clicks)::DOUBLE / sum(control_impressions)) - 1 FROM experiments.ab_test_lift_analysis", rs -> {
                rs.next();
                return rs.getDouble(1);
            });
            assertThat(pooled).isBetween(0.08, 0.12);
            assertThat(warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis WHERE sample_ratio_mismatch"))
                    .isZero();
        }
    }

    @Test
    void withNoPlantedLiftSignificanceComesAtTheFalsePositiveRate() {
        Path db = dir.resolve("null.duckdb");
        CliRun run = demo(db, "--scale", "100", "--lift", "0");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        try (Warehouse warehouse = Warehouse.open(db)) {
            long experiments = warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis");
            long significant = warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis WHERE is_significant");
            assertThat(experiments).isEqualTo(300);
            // 5% of 300 is 15; a binomial spread of three standard deviations either side.
            assertThat(significant).isBetween(3L, 30L);
            long covering = warehouse.queryLong(CHECK, "SELECT count(*) FROM experiments.ab_test_lift_analysis "
                    + "WHERE relative_lift_ci_low <= 0 AND 0 <= relative_lift_ci_high");
            assertThat((double) covering / experiments).isBetween(0.90, 0.99);
        }
    }

    @Test
    void rightAfterTheDemoIngestRuns() throws java.io.IOException {
        Path project = TestProject.copyBundled(dir);
        Path db = dir.resolve("tour.duckdb");
        CliRun run = demo(db, "--scale", "1", "--project-dir", project.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        CliRun ingest = CliRun.of("ingest", "--project-dir", project.toString(), "--db", db.toString());
        assertThat(ingest.exitCode()).as(ingest.out() + ingest.err()).isZero();
        assertThat(ingest.out()).containsPattern("publisher\\.curated_books\\s+succeeded\\s+100\\s+94");
        assertThat(run.out()).contains("data/curated_books.csv: 100 rows for 'soma ingest'");
    }

    @Test
    void badFlagsAreOneLine() {
        CliRun run = demo(dir.resolve("x.duckdb"), "--scale", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("error: --scale must be a number greater than 0, got 0.0; run 'soma demo --help' for usage");
    }
}
