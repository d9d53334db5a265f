/**
 * One small handler per resource ({@code HealthHandler}, {@code DataHandler}, …), each over the libraries'
 * public APIs, each answering a record that Jackson serialises.
 */
package dev.soma.server.internal.handler;
