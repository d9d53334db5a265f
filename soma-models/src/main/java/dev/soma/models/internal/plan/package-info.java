/**
 * Planning a run: which nodes {@code run}, {@code test} and {@code build} execute, and the test gates
 * of a build (which failing tests stop what is built downstream).
 */
package dev.soma.models.internal.plan;
