package dev.soma.models.api;

import java.util.List;

/**
 * What {@code Soma#diff} compares: one model (or relation) on two sides.
 *
 * <pre>{@code
 * soma.diff(DiffRequest.of("dim_books", DiffRequest.Side.target("prod"), DiffRequest.Side.current()));
 * }</pre>
 *
 * @param model   the model whose relation is compared on both sides (its unique key joins the rows), or {@code null}
 *                when both sides name a relation
 * @param a       the side taken as before
 * @param b       the side taken as after
 * @param key     columns that identify a row; empty: the model's {@code unique_key}, else rows are compared whole
 * @param samples at most how many sample rows to keep per finding; default 5
 */
public record DiffRequest(String model, Side a, Side b, List<String> key, int samples) {

    public DiffRequest {
        key = key == null ? List.of() : List.copyOf(key);
        if (samples < 0) {
            throw new IllegalArgumentException("samples must not be negative, got " + samples);
        }
    }

    /** {@code model} on {@code a} against {@code b}, keyed by its unique key, five samples. */
    public static DiffRequest of(String model, Side a, Side b) {
        return new DiffRequest(model, a, b, List.of(), 5);
    }

    /**
     * One side: where the relation lives and, optionally, which relation.
     *
     * @param target   a target of soma_project.yml whose database holds it, or {@code null}
     * @param fromState whether it is the relation the {@code --state} manifest records
     * @param relation {@code schema.name}, or {@code null} for the model's own relation
     */
    public record Side(String target, boolean fromState, String relation) {

        /** The model in this Soma's database. */
        public static Side current() {
            return new Side(null, false, null);
        }

        /** The model in the database of target {@code name}. */
        public static Side target(String name) {
            return new Side(name, false, null);
        }

        /** The model where the {@code --state} manifest says it lives. */
        public static Side state() {
            return new Side(null, true, null);
        }

        /** The relation {@code schemaDotName} in this Soma's database. */
        public static Side relation(String schemaDotName) {
            return new Side(null, false, schemaDotName);
        }

        @Override
        public String toString() {
            String where = fromState ? "state" : target != null ? "target " + target : "current";
            return relation == null ? where : where + " " + relation;
        }
    }
}
