package dev.soma.models.internal.materialize;

import dev.soma.core.runstore.RunStore;
import dev.soma.models.api.Relation;

import java.util.Objects;

/**
 * The rows an incremental build added or changed, kept in a table of their own until the run's tests
 * have read them: exactly those rows, with the model table's column names and types, so a row-local
 * test on it counts what the same test counts on those rows of the model.
 *
 * <p>The table lives in {@code soma_meta}, never beside the user's tables, and is dropped when the run
 * ends (a killed run's leftover is replaced by the model's next incremental build).
 *
 * @param model the model's table
 * @param table the increment's table
 * @param rows  how many rows it holds
 */
public record Increment(Relation model, Relation table, long rows) {

    public Increment {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(table, "table");
    }

    /** The increment table of {@code model}: {@code soma_meta."increment__<schema>__<table>"}. */
    public static Relation tableFor(Relation model) {
        return new Relation(RunStore.SCHEMA, "increment__" + model.schema() + "__" + model.identifier());
    }
}
