/** Machinery of the HTTP server; not a promise, may change at any time. */
package dev.soma.server.internal;
