/**
 * Book enrichment: extractors that look a book up in Open Library and Google Books
 * ({@link dev.soma.enrich.BookExtractor}, one implementation per service, registered by name in
 * {@link dev.soma.enrich.Extractors}), normalisation of what they return
 * ({@link dev.soma.enrich.BookText}, {@link dev.soma.enrich.PartialDate}) and the
 * per-field merge with provenance ({@link dev.soma.enrich.BookMerge}). See docs/enrichment.md.
 */
package dev.soma.enrich;
