package dev.soma.models.api;

import java.util.Locale;

/** Where a shadow stands, as recorded in {@code soma_meta.publishes}. */
public enum PublishState {
    /**
     * Its shadow is being built, or the build stopped (was killed) before its audit: the relations it
     * planned are recorded so that the next shadow build, or {@code discard()}, drops what it left.
     */
    BUILDING,
    /** Built and tested, every error-severity test passed; waiting for {@code publish()}. */
    AUDITED,
    /** A model failed or an error-severity test failed: nothing live changed, the shadow is kept for a look. */
    FAILED,
    /** Made live in one transaction; the shadow is gone. */
    PUBLISHED,
    /** Dropped without publishing ({@code publish --discard}, or replaced by a newer audit). */
    DISCARDED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state stored as {@code label}. */
    public static PublishState ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Whether its shadow relations still exist. */
    public boolean open() {
        return this == BUILDING || this == AUDITED || this == FAILED;
    }
}
