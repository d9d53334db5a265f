/** JMH benchmarks and the end-to-end harness. Not part of the test run. */
package dev.soma.benchmarks;
