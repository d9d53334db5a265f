/**
 * The HTTP face of Soma: {@link dev.soma.server.SomaServer} serves health, stats, runs, models, data, jobs,
 * loads and a lineage page over Jetty 12's core API, for an app to mount in its own
 * process or for {@code soma serve}. Everything else is in {@code internal} and may change.
 */
package dev.soma.server;
