package dev.soma.models.internal.project;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a model becomes a relation: the {@code materialized} config key. */
public enum Materialization {
    VIEW, TABLE, INCREMENTAL, EPHEMERAL, WINDOWED;

    /** The word used in config, artifacts and selectors ({@code view}, …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The materialization written {@code label}, if there is one. */
    public static Optional<Materialization> ofLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label().equals(label)).findFirst();
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Materialization::label).toList();
    }
}
