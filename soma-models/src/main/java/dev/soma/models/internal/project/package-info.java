/**
 * Loading a project directory in one pass with one owner, {@link dev.soma.models.internal.project.ProjectLoader}:
 * {@code soma_project.yml}, the YAML beside the models, sources, macros, seeds, and the data tests
 * declared in YAML and test files ({@code TestDeclarations}), into a validated
 * {@link dev.soma.models.internal.project.Project}. Needs no database. Also the project's typed
 * vocabulary: materializations, incremental strategies, severities, test kinds, built-in tests.
 *
 * <p>YAML is read with Jackson into records; every unknown key, wrong type or duplicate is a
 * {@link dev.soma.models.error.ProjectException} naming the file, line and nearest valid key.
 */
package dev.soma.models.internal.project;
