/**
 * HTTP plumbing shared by the HTTP sources and the book extractors (soma-enrich): the retry loop ({@link
 * dev.soma.ingest.http.HttpRetry}: 429, 5xx, timeouts, {@code Retry-After}), the rate limiter and reading replies.
 */
package dev.soma.ingest.http;
