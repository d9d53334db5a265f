/**
 * ISBNs: the one parser that ingestion's {@code isbn: true} rule and book enrichment share ({@link dev.soma.ingest.isbn.Isbn}).
 */
package dev.soma.ingest.isbn;
