/**
 * Plumbing shared by every endpoint: the parsed {@link dev.soma.server.internal.http.Request}, the
 * {@link dev.soma.server.internal.http.Router} (routing, token check, request log, gzip, error shapes),
 * JSON, and the pool of read-only warehouse sessions.
 */
package dev.soma.server.internal.http;
