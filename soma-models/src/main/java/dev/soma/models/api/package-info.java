/**
 * The public vocabulary of the modelling engine: selections, results, listeners and the small value
 * types they carry. Everything here is immutable and safe to share.
 */
package dev.soma.models.api;
