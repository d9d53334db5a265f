package dev.soma.models.internal.project;

import java.util.Locale;

/**
 * Where a data test comes from: a built-in generic test declared in YAML, a singular test file
 * ({@code tests/*.sql}), a custom generic test ({@code tests/generic/NAME.sql} used in YAML), or a
 * source's freshness check.
 */
public enum TestKind {
    GENERIC, SINGULAR, CUSTOM, FRESHNESS;

    /**
     * The {@code test_type} written in the manifest: dbt's word, so a custom generic test is
     * {@code generic} there too.
     */
    public String manifestLabel() {
        return this == CUSTOM ? "generic" : name().toLowerCase(Locale.ROOT);
    }
}
