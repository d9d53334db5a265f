/** {@code soma enrich publish | run | status}: book enrichment from the command line (docs/enrichment.md). */
package dev.soma.cli.enrich;
