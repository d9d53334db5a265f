/** Benchmarks of soma-server over loopback: /data paging on a 10M-row model, /health throughput; and a lineage showcase. */
package dev.soma.benchmarks.server;
