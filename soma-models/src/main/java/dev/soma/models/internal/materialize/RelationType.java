package dev.soma.models.internal.materialize;

/** What a relation in the warehouse is. */
public enum RelationType {
    TABLE, VIEW;

    /** The type the catalog names ({@code table}, {@code view}, as {@code Session.relationType} gives it), or {@code null}. */
    public static RelationType of(String catalogWord) {
        if (catalogWord == null) {
            return null;
        }
        return catalogWord.equalsIgnoreCase("view") ? VIEW : TABLE;
    }
}
