package dev.soma.ingest.spec;

/** Where a source's rows come from; one implementation per kind of source. */
public sealed interface ReaderSpec permits CsvSpec, HttpSpec {

    /** The kind's name as written in {@code sources.yml}: {@code csv}, {@code http}. */
    String kindName();
}
