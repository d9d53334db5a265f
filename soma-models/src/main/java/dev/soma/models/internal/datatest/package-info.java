/**
 * Running data tests: their SQL, and running them — with column checks on one view folded into one
 * shared scan, while every test keeps its own result, failure count and samples, and a test's
 * failing-rows query runs at most once. (Test declarations are read with the project, by
 * {@code internal.parser.DataTestReader}.)
 *
 * <p>Every test's {@code failures} is the number of rows that fail it (for {@code unique}: the rows
 * beyond the first of each duplicated value), and its compiled SQL returns exactly those rows.
 */
package dev.soma.models.internal.datatest;
