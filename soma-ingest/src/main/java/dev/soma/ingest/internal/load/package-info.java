/**
 * One load: the validation SQL over the staged rows, the single transaction that writes accepted rows,
 * rejects, cursor and load record, and the {@code soma_meta} tables that keep them.
 */
package dev.soma.ingest.internal.load;
