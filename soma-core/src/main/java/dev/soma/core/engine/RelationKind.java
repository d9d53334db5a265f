package dev.soma.core.engine;

/** What a relation in the warehouse's catalog is. */
public enum RelationKind {
    TABLE, VIEW
}
