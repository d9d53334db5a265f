package dev.soma.cli.demo;

import dev.soma.cli.console.Console;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationResult;
import dev.soma.models.Soma;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.Selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report {@code soma demo} prints after the build: what was built, what the tests said, what the data shows. */
final class DemoReport {

    private static final SqlOwner OWNER = new SqlOwner("demo", "report");
    private static final int MAX_EXPERIMENTS = 8;

    private final Console console;
    private final Soma soma;
    private final Warehouse warehouse;

    DemoReport(Console console, Soma soma, Warehouse warehouse) {
        this.console = console;
        this.soma = soma;
        this.warehouse = warehouse;
    }

    void print(RunResult result, GenerationResult generated) {
        int models = 0;
        int snapshots = 0;
        for (NodeResult node : result.results()) {
            if (node.node().resourceType() == ResourceType.SNAPSHOT) {
                snapshots++;
            } else if (node.node().resourceType() != ResourceType.TEST) {
                models++;
            }
        }
        console.line("   %d models%s and %d tests in %.2f s", models,
                snapshots == 0 ? "" : snapshots == 1 ? ", 1 snapshot" : ", " + snapshots + " snapshots",
                result.results().size() - models - snapshots, result.elapsed().toNanos() / 1e9);
        layers();
        tests(result);
        if (!result.isSuccess()) {
            console.line("");
            console.line("The build failed, so the report stops here. 'soma build' shows every failure in full.");
            return;
        }
        topBooks();
        experiments(generated);
    }

    /** The closing line: what to try next. */
    void next() {
        console.line("");
        console.line("Next: ./soma ls   ./soma show fact_sales   ./soma build -s tag:experiments   (all in %s)", warehouse.describe());
    }

    private void layers() {
        console.line("");
        console.line("   %-14s %7s %14s", "layer", "models", "rows");
        Map<String, long[]> bySchema = new java.util.TreeMap<>(java.util.Comparator.comparingInt(DemoReport::layerOrder)
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (NodeInfo node : soma.list(Selection.all())) {
            if (node.relation() == null || node.resourceType() == ResourceType.TEST || "ephemeral".equals(node.materialized())
                    || !warehouse.relationExists(node.relation().schema(), node.relation().identifier())) {
                continue;   // a source that soma ingest has not loaded yet has no table to count
            }
            long rows = warehouse.queryLong(OWNER, "SELECT count(*) FROM " + node.relation().quoted());
            long[] totals = bySchema.computeIfAbsent(node.relation().schema(), k -> new long[2]);
            totals[0]++;
            totals[1] += rows;
        }
        bySchema.forEach((schema, totals) -> console.line("   %-14s %7d %,14d", schema, totals[0], totals[1]));
    }

    private void tests(RunResult result) {
        console.line("");
        List<String> counts = new ArrayList<>();
        for (NodeStatus status : List.of(NodeStatus.PASS, NodeStatus.WARN, NodeStatus.FAIL, NodeStatus.ERROR, NodeStatus.SKIPPED)) {
            long count = result.results().stream()
                    .filter(r -> r.node().resourceType() == ResourceType.TEST && r.status() == status).count();
            if (count > 0) {
                counts.add(count + " " + status.label());
            }
        }
        console.line("3. Tests: %s", String.join(", ", counts));
        for (NodeResult problem : result.results()) {
            if (problem.status() != NodeStatus.PASS && problem.status() != NodeStatus.SUCCESS) {
                console.line("   %-5s %s: %s", problem.status().label().toUpperCase(Locale.ROOT), problem.name(),
                        problem.message().lines().findFirst().orElse(""));
            }
        }
    }

    private void topBooks() {
        String features = soma.node("book_features").relation().quoted();
        String books = soma.node("dim_books").relation().quoted();
        console.line("");
        console.line("4. Top books by revenue");
        console.line("   %-4s %-40s %-12s %8s %14s", "rank", "title", "genre", "units", "revenue");
        List<String> lines = warehouse.queryList(OWNER, "SELECT b.title, f.genre, f.units_sold, f.revenue FROM " + features
                + " f JOIN " + books + " b USING (book_id) ORDER BY f.revenue DESC, f.book_id LIMIT 5", rs -> String.format(
                Locale.ROOT, "%-40s %-12s %,8d %,14.2f", cut(rs.getString(1), 40), rs.getString(2), rs.getLong(3),
                rs.getBigDecimal(4)));
        for (int i = 0; i < lines.size(); i++) {
            console.line("   %-4d %s", i + 1, lines.get(i));
        }
    }

    private void experiments(GenerationResult generated) {
        String lift = soma.node("ab_test_lift_analysis").relation().quoted();
        console.line("");
        console.line("5. A/B experiments: relative lift of treatment CTR over control (planted: %+.1f%%)",
                generated.experiments().lift() * 100);
        console.line("   %-10s %9s %9s %8s %21s %9s  %s", "experiment", "control", "treatment", "lift", "95% CI", "p-value", "verdict");
        List<String> rows = warehouse.queryList(OWNER, "SELECT experiment_id, control_ctr, treatment_ctr, relative_lift, "
                + "relative_lift_ci_low, relative_lift_ci_high, p_value, verdict FROM " + lift + " ORDER BY experiment_id LIMIT "
                + MAX_EXPERIMENTS, rs -> String.format(Locale.ROOT, "%-10s %8.2f%% %8.2f%% %+7.1f%% [%+7.1f%%, %+7.1f%%] %9s  %s",
                rs.getString(1), rs.getDouble(2) * 100, rs.getDouble(3) * 100, rs.getDouble(4) * 100, rs.getDouble(5) * 100,
                rs.getDouble(6) * 100, pValue(rs.getDouble(7)), rs.getString(8)));
        rows.forEach(row -> console.line("   %s", row));
        String summary = warehouse.query(OWNER, "SELECT count(*), count(*) FILTER (WHERE verdict = 'Treatment wins'), "
                + "count(*) FILTER (WHERE verdict = 'Control wins'), count(*) FILTER (WHERE verdict = 'Inconclusive'), "
                + "count(*) FILTER (WHERE sample_ratio_mismatch), median(relative_lift) FROM " + lift, rs -> {
            rs.next();
            return String.format(Locale.ROOT, "%d experiments: %d treatment wins, %d control wins, %d inconclusive, "
                            + "%d sample-ratio mismatches; median lift %+.1f%%", rs.getLong(1), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getLong(5), rs.getDouble(6) * 100);
        });
        console.line("   %s", summary);
    }

    /** Layers in the order data flows through them; other schemas after, by name. */
    private static int layerOrder(String schema) {
        int index = List.of("raw", "staging", "analytics", "ml_features", "experiments").indexOf(schema);
        return index < 0 ? Integer.MAX_VALUE : index;
    }

    private static String pValue(double p) {
        return p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String cut(String text, int width) {
        return text == null ? "" : text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.valueOf(value);
    }
}
