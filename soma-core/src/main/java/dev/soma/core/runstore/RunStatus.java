package dev.soma.core.runstore;

import java.util.Locale;

/** Where a recorded run stands: {@code running} until it ends, then {@code success} or {@code error}. */
public enum RunStatus {
    RUNNING, SUCCESS, ERROR;

    /** The word stored in {@code soma_meta.runs.status}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status stored as {@code label}. */
    public static RunStatus ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
