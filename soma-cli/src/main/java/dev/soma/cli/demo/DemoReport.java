package dev.soma.cli.demo;

import dev.soma.cli.console.Console;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.generator.GenerationResult;
import dev.soma.models.Soma;
import dev.soma.models.api.AnalyticsFindings;
import dev.soma.models.api.ExperimentOutcome;
import dev.soma.models.api.ExperimentSummary;
import dev.soma.models.api.LayerSize;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.ResourceType;
import dev.soma.models.api.RunResult;
import dev.soma.models.api.TopBook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report {@code soma demo} prints after the build: what was built, what the tests said, what the data shows. */
final class DemoReport {

    private static final int MAX_EXPERIMENTS = 8;

    private final Console console;
    private final Warehouse warehouse;
    private final AnalyticsFindings findings;

    DemoReport(Console console, Soma soma, Warehouse warehouse) {
        this.console = console;
        this.warehouse = warehouse;
        this.findings = AnalyticsFindings.of(soma);
    }

    void print(RunResult result, GenerationResult generated) {
        int models = 0;
        int snapshots = 0;
        for (NodeResult node : result.results()) {
            if (node.node().resourceType() == ResourceType.SNAPSHOT) {
                snapshots++;
            } else if (!node.node().resourceType().isTest()) {
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
        for (LayerSize layer : findings.layers()) {
            console.line("   %-14s %7d %,14d", layer.schema(), layer.relations(), layer.rows());
        }
    }

    private void tests(RunResult result) {
        console.line("");
        List<String> counts = new ArrayList<>();
        for (NodeStatus status : List.of(NodeStatus.PASS, NodeStatus.WARN, NodeStatus.FAIL, NodeStatus.ERROR, NodeStatus.SKIPPED)) {
            long count = result.results().stream()
                    .filter(r -> r.node().resourceType().isTest() && r.status() == status).count();
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
        console.line("");
        console.line("4. Top books by revenue");
        console.line("   %-4s %-40s %-12s %8s %14s", "rank", "title", "genre", "units", "revenue");
        List<TopBook> books = findings.topBooks(5);
        for (int i = 0; i < books.size(); i++) {
            TopBook book = books.get(i);
            console.line("   %-4d %s", i + 1, String.format(Locale.ROOT, "%-40s %-12s %,8d %,14.2f", cut(book.title(), 40),
                    book.genre(), book.unitsSold(), book.revenue()));
        }
    }

    private void experiments(GenerationResult generated) {
        console.line("");
        console.line("5. A/B experiments: relative lift of treatment CTR over control (planted: %+.1f%%)",
                generated.experiments().lift() * 100);
        console.line("   %-10s %9s %9s %8s %21s %9s  %s", "experiment", "control", "treatment", "lift", "95% CI", "p-value", "verdict");
        for (ExperimentOutcome e : findings.experiments(MAX_EXPERIMENTS)) {
            console.line("   %s", String.format(Locale.ROOT, "%-10s %8.2f%% %8.2f%% %+7.1f%% [%+7.1f%%, %+7.1f%%] %9s  %s",
                    e.experimentId(), e.controlCtr() * 100, e.treatmentCtr() * 100, e.relativeLift() * 100,
                    e.liftCiLow() * 100, e.liftCiHigh() * 100, pValue(e.pValue()), e.verdict()));
        }
        ExperimentSummary summary = findings.experimentSummary();
        console.line("   %s", String.format(Locale.ROOT, "%d experiments: %d treatment wins, %d control wins, %d inconclusive, "
                        + "%d sample-ratio mismatches; median lift %+.1f%%", summary.experiments(), summary.treatmentWins(),
                summary.controlWins(), summary.inconclusive(), summary.sampleRatioMismatches(), summary.medianLift() * 100));
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
