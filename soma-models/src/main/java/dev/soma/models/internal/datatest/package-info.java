/**
 * Data tests: the built-in generic tests, loading test declarations from YAML and files, their SQL,
 * and running them — with column checks on one relation folded into one shared scan, while every
 * test keeps its own result, failure count and samples.
 *
 * <p>Every test's {@code failures} is the number of rows that fail it (for {@code unique}: the rows
 * beyond the first of each duplicated value), and its compiled SQL returns exactly those rows.
 */
package dev.soma.models.internal.datatest;
