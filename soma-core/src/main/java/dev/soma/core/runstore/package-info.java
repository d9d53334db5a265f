/**
 * The run store: Soma's record of every run and every node it ran, kept in the {@code soma_meta}
 * schema of the warehouse itself so the history travels with the data.
 */
package dev.soma.core.runstore;
