/**
 * What a loaded project is: {@link dev.soma.models.internal.project.Project} and its nodes
 * ({@code ModelNode}, {@code SeedNode}, {@code SourceNode}, {@code TestNode}, all a {@code Node}),
 * their config ({@code NodeConfig}, folder defaults in {@code FolderConfig}), the records the project's
 * YAML is read into ({@code ProjectFile} for {@code soma_project.yml}, {@code SchemaFile} and
 * {@code TestEntry} for the YAML beside the models, read strictly by {@code YamlReader}), and the typed
 * vocabulary: materializations, incremental strategies, severities, test kinds, built-in tests.
 *
 * <p>Reading a project folder into these types happens in {@code internal.parser}, one reader per
 * node kind, entered through {@code internal.parser.ProjectParser}; nothing here reaches into it.
 *
 * <p>May touch: {@code api}, {@code error}, {@code internal.template} (a project carries its template
 * engine). Needs no database. Every type here is immutable once loaded.
 */
package dev.soma.models.internal.project;
