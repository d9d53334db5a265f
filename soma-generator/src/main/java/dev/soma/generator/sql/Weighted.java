package dev.soma.generator.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A categorical distribution as a SQL {@code CASE} on a uniform number: value {@code i} when the
 * uniform falls in its share of [0, 1). The shares are the documented parameters.
 *
 * @param values  the values (SQL expressions, typically literals), in order
 * @param weights their relative weights
 */
record Weighted(List<String> values, List<Double> weights) {

    Weighted {
        if (values.size() != weights.size() || values.isEmpty()) {
            throw new IllegalArgumentException("values and weights must match and not be empty");
        }
    }

    /** String literals with weights: {@code of("'Fiction'", 30, "'Science'", 15)}. */
    static Weighted of(Object... valueWeightPairs) {
        ArrayList<String> values = new ArrayList<>();
        ArrayList<Double> weights = new ArrayList<>();
        for (int i = 0; i < valueWeightPairs.length; i += 2) {
            values.add(String.valueOf(valueWeightPairs[i]));
            weights.add(((Number) valueWeightPairs[i + 1]).doubleValue());
        }
        return new Weighted(values, weights);
    }

    /** Codes 0..n-1 with weights. */
    static Weighted codes(double... weights) {
        ArrayList<String> values = new ArrayList<>();
        ArrayList<Double> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            values.add(Integer.toString(i));
            list.add(weights[i]);
        }
        return new Weighted(values, list);
    }

    /** {@code CASE WHEN u < c1 THEN v1 WHEN u < c2 THEN v2 ... ELSE vn END}. */
    String sql(String uniform) {
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder sql = new StringBuilder("CASE");
        double cumulative = 0;
        for (int i = 0; i < values.size() - 1; i++) {
            cumulative += weights.get(i);
            if (weights.get(i) == 0) {
                continue;
            }
            sql.append(" WHEN ").append(uniform).append(" < ")
                    .append(String.format(Locale.ROOT, "%.6f", cumulative / total))
                    .append(" THEN ").append(values.get(i));
        }
        return sql.append(" ELSE ").append(values.get(values.size() - 1)).append(" END").toString();
    }
}
