package dev.soma.core.warehouse;

import java.util.Objects;

/**
 * Who issued a statement: a model, a test, a seed, a loader. Printed at the start of every SQL
 * error so the user knows which of their things failed.
 *
 * @param kind a lower-case noun ({@code model}, {@code test}, {@code seed}, {@code generator}, …)
 * @param name the thing's name
 */
public record SqlOwner(String kind, String name) {

    public SqlOwner {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static SqlOwner model(String name) {
        return new SqlOwner("model", name);
    }

    public static SqlOwner test(String name) {
        return new SqlOwner("test", name);
    }

    public static SqlOwner seed(String name) {
        return new SqlOwner("seed", name);
    }

    public static SqlOwner loader(String name) {
        return new SqlOwner("loader", name);
    }

    /** Soma's own bookkeeping (schemas, the run store). */
    public static SqlOwner soma(String what) {
        return new SqlOwner("soma", what);
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
