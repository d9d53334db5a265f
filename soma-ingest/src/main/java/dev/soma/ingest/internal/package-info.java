/** Machinery of ingestion; not part of the promised API. */
package dev.soma.ingest.internal;
