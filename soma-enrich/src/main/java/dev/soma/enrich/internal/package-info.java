/** Machinery of book enrichment: the HTTP client with rate limit and retries. Not API. */
package dev.soma.enrich.internal;
