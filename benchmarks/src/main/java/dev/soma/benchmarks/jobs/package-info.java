/**
 * Job queue benchmarks: no-op jobs through enqueue, claim and complete on each store against the bare
 * SQL of the same state changes ({@link dev.soma.benchmarks.jobs.QueueThroughput}), and heap use while
 * a million jobs flow ({@link dev.soma.benchmarks.jobs.QueueMemoryCheck}).
 */
package dev.soma.benchmarks.jobs;
