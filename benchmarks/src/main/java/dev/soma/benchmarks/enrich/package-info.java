/** Book enrichment end to end against a local stand-in server (EnrichThroughput). */
package dev.soma.benchmarks.enrich;
