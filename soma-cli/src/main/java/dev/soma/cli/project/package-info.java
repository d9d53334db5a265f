/**
 * The commands that work on a project: {@code compile}, {@code run}, {@code ls}, {@code show},
 * {@code clean}; their shared options, and the run progress display.
 */
package dev.soma.cli.project;
