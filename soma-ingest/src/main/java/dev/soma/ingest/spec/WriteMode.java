package dev.soma.ingest.spec;

import java.util.Locale;

/** How a load writes its accepted rows into {@code raw.<table>}. */
public enum WriteMode {
    /** Add new rows; a row whose key is already loaded is a duplicate and is dropped. */
    APPEND,
    /** Insert new keys, replace the row of a key already loaded when its values changed (needs a key). */
    MERGE,
    /** The table becomes exactly this load's accepted rows. */
    REPLACE;

    /** The name as written in {@code sources.yml}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
