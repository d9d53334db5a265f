package dev.soma.generator;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a generation wrote: rows per table, how long it took, and the experiment design whose true
 * rates the data carries.
 *
 * @param config      the configuration it ran with
 * @param rows        rows per table, in generation order
 * @param durations   time spent writing each table
 * @param duration    total time, from start to commit
 * @param experiments the A/B experiment layout and true click-through rates
 */
public record GenerationResult(GenerationConfig config, Map<RawTable, Long> rows, Map<RawTable, Duration> durations,
                               Duration duration, ExperimentDesign experiments) {

    public GenerationResult {
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        durations = Collections.unmodifiableMap(new LinkedHashMap<>(durations));
    }

    /** Rows written to {@code table}. */
    public long rows(RawTable table) {
        return rows.getOrDefault(table, 0L);
    }

    /** Rows written over all tables. */
    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows per second over the whole generation (0 when it took no measurable time). */
    public double rowsPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : totalRows() / seconds;
    }
}
