package dev.soma.models.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The last run, as its {@code target/run_results.json} recorded it: what {@code soma retry} reruns, and with which
 * flags (dbt's {@code args}).
 *
 * @param file    the run_results.json read
 * @param command the verb it ran
 * @param retry   unique ids of the nodes that errored, failed or were skipped, in the order they were recorded
 * @param args    its flags: {@code select}, {@code exclude}, {@code threads}, {@code vars}, {@code full_refresh},
 *                {@code full_test}, {@code fail_fast}, {@code target}, {@code state}, {@code defer}, {@code favor_state}
 */
public record PreviousRun(Path file, Command command, List<String> retry, Map<String, Object> args) {

    public PreviousRun {
        retry = List.copyOf(retry);
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    /**
     * The last run recorded in {@code targetDir} ({@code Soma#targetDir()}).
     *
     * @throws dev.soma.models.error.StateException when there is none, or it cannot be read
     */
    public static PreviousRun read(Path targetDir) {
        return dev.soma.models.internal.state.RunResultsReader.read(targetDir);
    }

    /** The flag {@code name} as text, or {@code null} when it was not recorded. */
    public String text(String name) {
        Object value = args.get(name);
        return value == null ? null : value.toString();
    }

    /** The boolean flag {@code name}; {@code false} when it was not recorded. */
    public boolean flag(String name) {
        return Boolean.TRUE.equals(args.get(name));
    }

    /** The vars it ran with. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> vars() {
        return args.get("vars") instanceof Map<?, ?> vars ? (Map<String, Object>) vars : Map.of();
    }
}
