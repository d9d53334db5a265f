/** HTTP plumbing shared by the HTTP sources and the book extractors: the rate limiter and reading replies. */
package dev.soma.ingest.http;
