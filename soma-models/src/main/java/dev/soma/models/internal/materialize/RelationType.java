package dev.soma.models.internal.materialize;

/** What a relation in the warehouse is. */
public enum RelationType {
    TABLE, VIEW
}
