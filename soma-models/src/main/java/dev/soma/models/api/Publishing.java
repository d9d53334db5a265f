package dev.soma.models.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a {@code build} reaches the live relations (write-audit-publish, docs/publishing.md).
 */
public enum Publishing {
    /** Each model replaces its live relation as it builds (the plain {@code build}). */
    OFF,
    /** Build every selected model into its shadow and test it there; leave the shadow for {@code publish()}. */
    AUDIT,
    /** Build into the shadow, test it, and make all of it live in one transaction if no error-severity test failed. */
    PUBLISH;

    /** {@code off}, {@code audit}, {@code publish}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode called {@code label} (case-insensitive), if any. */
    public static Optional<Publishing> ofLabel(String label) {
        return Arrays.stream(values()).filter(mode -> mode.label().equalsIgnoreCase(label)).findFirst();
    }

    /** Whether the build goes into shadow relations. */
    public boolean shadowed() {
        return this != OFF;
    }
}
