package dev.soma.ingest;

import dev.soma.ingest.spec.SourceSpec;

/**
 * Follows loads as they happen, e.g. to draw progress. Called on the loading thread; keep it quick.
 * Every method has an empty default.
 */
public interface IngestListener {

    /** The steps of one load, in order. */
    enum Phase {
        /** Reading the file or the API into a private staging table. */
        READING,
        /** Checking every row against the column rules. */
        VALIDATING,
        /** Inside the load's transaction: writing rows, rejects, cursor and load record. */
        WRITING,
        /** The transaction committed. */
        COMMITTED
    }

    default void loadStarted(SourceSpec source) {
    }

    default void phase(SourceSpec source, Phase phase) {
    }

    /** A page of an HTTP source arrived with {@code records} records; {@code page} counts from 1. */
    default void pageRead(SourceSpec source, int page, int records) {
    }

    default void loadFinished(LoadResult result) {
    }

    /** Listens to nothing. */
    IngestListener NONE = new IngestListener() {
    };
}
