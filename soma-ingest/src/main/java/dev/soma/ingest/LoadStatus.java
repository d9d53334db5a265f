package dev.soma.ingest;

/** How a load ended. */
public enum LoadStatus {
    /** Everything read was written: accepted rows, rejects, cursor and load record, in one transaction. */
    SUCCEEDED,
    /** Nothing was written but the load record saying why. */
    FAILED
}
