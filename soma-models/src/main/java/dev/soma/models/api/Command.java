package dev.soma.models.api;

import java.util.Locale;

/** The verb a run was started by. */
public enum Command {
    RUN, TEST, BUILD, SNAPSHOT;

    /** {@code run}, {@code test}, {@code build}, {@code snapshot}: the word used in artifacts, the run store and output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
