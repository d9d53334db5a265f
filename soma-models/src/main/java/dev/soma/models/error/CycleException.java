package dev.soma.models.error;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;

import java.util.List;

/**
 * The models reference each other in a circle. {@link #cycle()} lists it in data-flow order, first
 * node repeated at the end: {@code [stg_sales, fact_sales, stg_sales]}.
 */
public class CycleException extends SomaException {

    private final List<String> cycle;

    public CycleException(List<String> cycle) {
        super(ErrorCode.CYCLE, "dependency cycle: " + String.join(" -> ", cycle)
                + "; a model cannot depend on itself, directly or through others: remove one of these refs");
        this.cycle = List.copyOf(cycle);
    }

    public List<String> cycle() {
        return cycle;
    }
}
