/** Benchmarks of the modelling engine: project load and compile, per-model overhead, build vs plain JDBC. */
package dev.soma.benchmarks.engine;
