/**
 * FreeMarker templates for models, tests and hooks: the sandboxed configuration, the functions a
 * template sees ({@code ref}, {@code source}, {@code this}, {@code var}, {@code is_incremental},
 * {@code <@config/>}), and the translation of template errors into messages that show the file,
 * line, column and the offending line.
 *
 * <p>One {@link dev.soma.models.internal.template.TemplateEngine} per project; nothing static.
 */
package dev.soma.models.internal.template;
