package dev.soma.models.internal.project;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a failing data test does: {@code error} fails the run (and gates what is downstream), {@code warn} only warns. */
public enum Severity {
    WARN, ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> ofLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Severity::label).toList();
    }
}
