/**
 * Running a plan of nodes in dependency order on several connections at once: scheduling, skipping
 * the descendants of failures, fail-fast, and reporting to the listener.
 */
package dev.soma.models.internal.run;
