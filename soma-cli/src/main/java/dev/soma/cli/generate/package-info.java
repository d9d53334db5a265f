/** {@code soma generate}: flags onto a {@link dev.soma.generator.GenerationConfig}, progress, and a summary. */
package dev.soma.cli.generate;
