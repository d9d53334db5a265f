/**
 * Loading a project directory: {@code soma_project.yml}, the YAML beside the models, sources,
 * macros, seeds and singular tests, into a validated {@link dev.soma.models.internal.project.Project}.
 *
 * <p>YAML is read with Jackson into records; every unknown key, wrong type or duplicate is a
 * {@link dev.soma.models.error.ProjectException} naming the file, line and nearest valid key.
 */
package dev.soma.models.internal.project;
