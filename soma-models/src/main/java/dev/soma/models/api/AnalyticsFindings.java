package dev.soma.models.api;

import dev.soma.core.warehouse.RelationReader;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.Soma;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a built project holds and what the bundled SOMA analytics project ({@code models/}) found:
 * rows per layer, the top books, the A/B experiments. Reads the built relations only; the project
 * must be built first ({@link Soma#build}). {@link #layers()} works on any project; the other methods
 * read the SOMA project's {@code book_features}, {@code dim_books} and {@code ab_test_lift_analysis}.
 *
 * <pre>{@code
 * AnalyticsFindings findings = AnalyticsFindings.of(soma);
 * findings.topBooks(5).forEach(System.out::println);
 * }</pre>
 */
public final class AnalyticsFindings {

    private static final SqlOwner OWNER = new SqlOwner("demo", "report");
    /** Layers in the order data flows through them; other schemas after, by name. */
    private static final List<String> LAYERS = List.of("raw", "staging", "analytics", "ml_features", "experiments");

    private final Soma soma;
    private final Warehouse warehouse;

    private AnalyticsFindings(Soma soma) {
        this.soma = soma;
        this.warehouse = soma.warehouse();
    }

    /** The findings of {@code soma}'s project in its warehouse. */
    public static AnalyticsFindings of(Soma soma) {
        return new AnalyticsFindings(soma);
    }

    /**
     * Built relations and their rows per schema, raw first, then staging, analytics, ml_features,
     * experiments, then any other schema by name. Tests, ephemeral models and relations not built
     * (a source not loaded yet) do not count.
     */
    public List<LayerSize> layers() {
        RelationReader reader = new RelationReader(warehouse, OWNER);
        Map<String, long[]> bySchema = new TreeMap<>(Comparator.comparingInt(AnalyticsFindings::layerOrder)
                .thenComparing(Comparator.naturalOrder()));
        for (NodeInfo node : soma.list(Selection.all())) {
            if (node.relation() == null || node.resourceType().isTest() || "ephemeral".equals(node.materialized())
                    || !warehouse.relationExists(node.relation().schema(), node.relation().identifier())) {
                continue;
            }
            long rows = reader.count(node.relation().schema(), node.relation().identifier());
            long[] totals = bySchema.computeIfAbsent(node.relation().schema(), k -> new long[2]);
            totals[0]++;
            totals[1] += rows;
        }
        List<LayerSize> layers = new ArrayList<>();
        bySchema.forEach((schema, totals) -> layers.add(new LayerSize(schema, (int) totals[0], totals[1])));
        return layers;
    }

    /** The {@code limit} books with the most revenue, the highest first (ties by book id). */
    public List<TopBook> topBooks(int limit) {
        String features = soma.node("book_features").relation().quoted();
        String books = soma.node("dim_books").relation().quoted();
        return warehouse.queryList(OWNER, "SELECT b.title, f.genre, f.units_sold, f.revenue FROM " + features
                + " f JOIN " + books + " b USING (book_id) ORDER BY f.revenue DESC, f.book_id LIMIT " + limit,
                rs -> new TopBook(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBigDecimal(4)));
    }

    /** The first {@code limit} experiments by id. */
    public List<ExperimentOutcome> experiments(int limit) {
        return warehouse.queryList(OWNER, "SELECT experiment_id, control_ctr, treatment_ctr, relative_lift, "
                + "relative_lift_ci_low, relative_lift_ci_high, p_value, verdict FROM " + liftAnalysis()
                + " ORDER BY experiment_id LIMIT " + limit, rs -> new ExperimentOutcome(rs.getString(1), rs.getDouble(2),
                rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getString(8)));
    }

    /** Every experiment counted by verdict, with the median lift. */
    public ExperimentSummary experimentSummary() {
        return warehouse.query(OWNER, "SELECT count(*), count(*) FILTER (WHERE verdict = 'Treatment wins'), "
                + "count(*) FILTER (WHERE verdict = 'Control wins'), count(*) FILTER (WHERE verdict = 'Inconclusive'), "
                + "count(*) FILTER (WHERE sample_ratio_mismatch), median(relative_lift) FROM " + liftAnalysis(), rs -> {
            rs.next();
            return new ExperimentSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getDouble(6));
        });
    }

    private String liftAnalysis() {
        return soma.node("ab_test_lift_analysis").relation().quoted();
    }

    private static int layerOrder(String schema) {
        int index = LAYERS.indexOf(schema);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
