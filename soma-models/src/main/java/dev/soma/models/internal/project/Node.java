package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;

import java.util.List;

/** A node of the project graph: a model, seed, source table, snapshot, data test or unit test. */
public sealed interface Node permits ModelNode, SeedNode, SourceNode, TestNode, UnitTestNode, SnapshotNode {

    /** {@code model.<project>.<name>}, {@code source.<project>.<source>.<table>}, … */
    String uniqueId();

    /** The name users select and ref it by ({@code raw.books} for a source table). */
    String name();

    ResourceType resourceType();

    /** The file that defines it, relative to the project root. */
    String path();

    /** The relation it builds or reads; {@code null} for tests. */
    Relation relation();

    /** Its tags, from config and YAML. */
    List<String> tags();

    /** Its resolved config ({@link NodeConfig#EMPTY} for sources). */
    NodeConfig config();

    /** Its documentation, or {@code null}. */
    String description();

    /** Folder path plus name, e.g. {@code [staging, stg_books]}, for fqn selection. */
    List<String> fqn();
}
