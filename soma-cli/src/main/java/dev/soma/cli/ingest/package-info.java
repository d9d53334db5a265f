/** {@code soma ingest}, {@code soma loads} and {@code soma rejects}: the CLI face of soma-ingest. */
package dev.soma.cli.ingest;
