/**
 * The job queue commands: {@code soma jobs ls|show|enqueue|retry-failed|cancel|prune|stats} and
 * {@code soma worker}, on the DuckDB store ({@code --db}) or PostgreSQL ({@code --queue-url}). Thin: the
 * queue lives in soma-jobs.
 */
package dev.soma.cli.jobs;
