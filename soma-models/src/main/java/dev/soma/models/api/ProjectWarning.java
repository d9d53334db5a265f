package dev.soma.models.api;

import java.util.Objects;

/**
 * Something in the project that loads but is probably a mistake, found when the project is loaded;
 * {@code Soma.warnings()} lists them, the CLI prints them before a run, and a model's result repeats
 * its own.
 *
 * @param file    the project file it is about, relative to the project folder
 * @param model   the model it is about, or {@code null}
 * @param message what is wrong and what to do
 */
public record ProjectWarning(String file, String model, String message) {

    public ProjectWarning {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file: message}, as printed after {@code warning: }. */
    @Override
    public String toString() {
        return file + ": " + message;
    }
}
