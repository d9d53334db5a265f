package dev.soma.models.api;

import java.util.Locale;

/** What kind of node a graph node is. */
public enum ResourceType {
    MODEL, SEED, SOURCE, TEST, UNIT_TEST, SNAPSHOT;

    /** Whether it is a test of either kind: a data test or a unit test. */
    public boolean isTest() {
        return this == TEST || this == UNIT_TEST;
    }

    /** The lower-case name used in unique ids, artifacts and selectors ({@code model}, {@code seed}, {@code unit_test}, …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
