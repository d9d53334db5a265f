/**
 * Soma's exceptions: one unchecked root, {@link dev.soma.core.error.SomaException}, with an
 * {@link dev.soma.core.error.ErrorCode}, and subclasses that carry the fields a caller needs (what
 * failed, where, why) so nobody has to parse message text.
 *
 * <p>Every message is written for the person who made the mistake: it names the file, line, model
 * or test where one exists, and ends with what to do.
 */
package dev.soma.core.error;
