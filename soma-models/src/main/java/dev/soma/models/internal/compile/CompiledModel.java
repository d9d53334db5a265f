package dev.soma.models.internal.compile;

import dev.soma.models.internal.project.ModelNode;

import java.util.List;

/**
 * A model's compiled SQL, ready to materialize.
 *
 * @param sql         the SELECT to materialize (ephemeral CTEs inlined, no trailing semicolon)
 * @param incremental whether this build adds to an existing table rather than rebuilding it
 * @param preHooks    compiled pre-hook statements
 * @param postHooks   compiled post-hook statements
 * @param checksum    SHA-256 of {@code sql}
 */
public record CompiledModel(ModelNode model, String sql, boolean incremental, List<String> preHooks,
                            List<String> postHooks, String checksum) {
}
