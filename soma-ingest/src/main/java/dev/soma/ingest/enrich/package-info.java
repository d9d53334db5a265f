/**
 * Book enrichment: extractors that look a book up in Open Library and Google Books
 * ({@link dev.soma.ingest.enrich.BookExtractor}, one implementation per service, registered by name in
 * {@link dev.soma.ingest.enrich.Extractors}), normalisation of what they return
 * ({@link dev.soma.ingest.enrich.BookText}, {@link dev.soma.ingest.enrich.PartialDate}) and the
 * per-field merge with provenance ({@link dev.soma.ingest.enrich.BookMerge}). See docs/enrichment.md.
 */
package dev.soma.ingest.enrich;
