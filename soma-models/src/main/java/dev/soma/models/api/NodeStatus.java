package dev.soma.models.api;

import java.util.Locale;

/** How a node ended. Models and seeds: success, error, skipped. Tests: pass, warn, fail, error, skipped. */
public enum NodeStatus {
    SUCCESS, ERROR, SKIPPED, PASS, WARN, FAIL;

    /** {@code success}, {@code error}, …: the word used in artifacts and the run store. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this status fails the run (an error, or an error-severity test failure). */
    public boolean isFailure() {
        return this == ERROR || this == FAIL;
    }
}
