/**
 * The modelling engine's entry point: {@link dev.soma.models.Soma} (a thin facade whose verbs
 * {@code list}, {@code compile}, {@code run}, {@code test} and {@code build} delegate to the engine),
 * configured by {@link dev.soma.models.SomaBuilder}, and {@link dev.soma.models.ClasspathProject} for
 * projects shipped in a jar. Vocabulary in {@code api}, exceptions in {@code error}, machinery in
 * {@code internal} (no public signature outside {@code internal} names an internal type; the
 * {@code soma-architecture} tests check it).
 */
package dev.soma.models;
