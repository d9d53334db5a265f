package dev.soma.models.api;

import java.util.Locale;

/** What kind of node a graph node is. */
public enum ResourceType {
    MODEL, SEED, SOURCE, TEST, SNAPSHOT;

    /** The lower-case name used in unique ids, artifacts and selectors ({@code model}, {@code seed}, …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
