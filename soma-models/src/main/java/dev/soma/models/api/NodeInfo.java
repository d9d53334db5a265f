package dev.soma.models.api;

import java.util.List;

/**
 * What a node is, for listing and progress display.
 *
 * @param uniqueId     {@code model.<project>.<name>}, …
 * @param name         the node's name
 * @param resourceType model, seed, source or test
 * @param path         its file, relative to the project
 * @param relation     the relation it builds or reads; {@code null} for tests
 * @param materialized view, table, incremental, ephemeral for models; {@code seed}, {@code source} or {@code test} otherwise
 * @param tags         its tags
 * @param dependsOn    unique ids of the nodes it reads
 * @param description  its documentation, or {@code null}
 */
public record NodeInfo(String uniqueId, String name, ResourceType resourceType, String path, Relation relation,
                       String materialized, List<String> tags, List<String> dependsOn, String description) {
}
