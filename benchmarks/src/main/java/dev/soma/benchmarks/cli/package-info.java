/** The cold-CLI harness (issue 18): {@code soma ls} and {@code soma run} timed as users run them, one JVM per command. */
package dev.soma.benchmarks.cli;
