package dev.soma.models.internal.project;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** How a model becomes a relation: the {@code materialized} config key. */
public enum Materialization {
    VIEW, TABLE, INCREMENTAL, EPHEMERAL, WINDOWED;

    // Looked up for every model several times a run (ModelNode.materialized): a map, not a stream over values().
    private static final Map<String, Materialization> BY_LABEL = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(Materialization::label, Function.identity()));
    private static final List<String> LABELS = Stream.of(values()).map(Materialization::label).toList();

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The word used in config, artifacts and selectors ({@code view}, …). */
    public String label() {
        return label;
    }

    /** The materialization written {@code label}, if there is one. */
    public static Optional<Materialization> ofLabel(String label) {
        return Optional.ofNullable(label == null ? null : BY_LABEL.get(label));
    }

    public static List<String> labels() {
        return LABELS;
    }
}
