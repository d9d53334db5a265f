/**
 * Exceptions of the modelling engine. Each carries the fields a caller needs (file, line, model,
 * cycle path) and a message that ends with what to do.
 */
package dev.soma.models.error;
