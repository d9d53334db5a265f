/**
 * The modelling engine's entry point, {@link dev.soma.models.Soma}: load a project, then compile, run,
 * test or build it against a warehouse. Vocabulary in {@code api}, machinery in {@code internal}.
 */
package dev.soma.models;
