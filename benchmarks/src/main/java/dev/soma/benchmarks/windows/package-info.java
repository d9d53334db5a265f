/** Windowed models: per-window overhead, and daily windows against one CREATE TABLE AS. */
package dev.soma.benchmarks.windows;
