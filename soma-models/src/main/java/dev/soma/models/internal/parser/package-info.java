/**
 * Reading a project folder into a {@link dev.soma.models.internal.project.Project}, split by node kind
 * as dbt's parser is: one reader per kind, and {@link dev.soma.models.internal.parser.ProjectParser},
 * the one place that calls them in order and assembles the project.
 *
 * <ul>
 *   <li>{@code ProjectFileReader}: {@code soma_project.yml} (name, vars, folder config, targets);</li>
 *   <li>{@code ProjectFiles}: which file is what (models, YAML, macros, seeds, tests);</li>
 *   <li>{@code SourceReader}: {@code sources:} in the YAML files;</li>
 *   <li>{@code ModelReader}: {@code .sql} models, their {@code models:} YAML entries and config,
 *       rendered once each ({@code TemplateParser}, {@code ParseContext}) unless the
 *       {@code ParseCache} ({@code target/partial_parse.bin}) knows the file unchanged;</li>
 *   <li>{@code SeedReader}: {@code seeds/*.csv} and their {@code seeds:} entries;</li>
 *   <li>{@code DataTestReader}: generic tests declared in YAML ({@code TestArguments} checks them),
 *       singular tests {@code tests/*.sql}, custom generic tests {@code tests/generic/*.sql}, and
 *       source freshness.</li>
 * </ul>
 *
 * <p>A new node kind (unit tests, snapshots) is a new reader file: a {@code YamlFile.SectionReader}
 * if it has a YAML section, and a line in {@code ProjectParser} that adds its nodes.
 *
 * <p>Every mistake is a {@link dev.soma.models.error.ProjectException} naming the file, the line where
 * there is one, and the fix. May touch: {@code internal.project} (the types it builds),
 * {@code internal.template} (parse-mode rendering), {@code internal.window} (checking a windowed
 * model's config), {@code api}, {@code error}. Needs no database. Only {@code ProjectParser} is public.
 */
package dev.soma.models.internal.parser;
