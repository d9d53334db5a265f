/**
 * What a source declares in its {@code ingest:} block, as immutable records: where the data comes
 * from ({@link dev.soma.ingest.spec.CsvSpec}, {@link dev.soma.ingest.spec.HttpSpec}), its columns and
 * their rules, the key, the cursor and the write mode. Read from {@code sources.yml} by
 * {@link dev.soma.ingest.Ingest}, or built in code.
 */
package dev.soma.ingest.spec;
