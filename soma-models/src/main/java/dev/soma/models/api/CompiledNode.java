package dev.soma.models.api;

import java.nio.file.Path;

/**
 * A node's compiled SQL.
 *
 * @param node         the node
 * @param sql          the SQL that {@code run} would execute (the SELECT, for a model)
 * @param compiledPath where it was written
 */
public record CompiledNode(NodeInfo node, String sql, Path compiledPath) {
}
