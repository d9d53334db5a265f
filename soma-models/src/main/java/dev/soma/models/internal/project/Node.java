package dev.soma.models.internal.project;

import dev.soma.models.api.Relation;
import dev.soma.models.api.ResourceType;

import java.util.ArrayList;
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

    /** Its tags, from config and YAML: those of its config unless it says otherwise. */
    default List<String> tags() {
        return config().tagList();
    }

    /** Its resolved config ({@link NodeConfig#EMPTY} for sources). */
    NodeConfig config();

    /** Its documentation, or {@code null}. */
    String description();

    /** Folder path plus name, e.g. {@code [staging, stg_books]}, for fqn selection. */
    List<String> fqn();

    /** The fqn of a node declared in {@code folders}: the folders, then {@code names}. */
    static List<String> fqn(List<String> folders, String... names) {
        List<String> fqn = new ArrayList<>(folders);
        fqn.addAll(List.of(names));
        return fqn;
    }
}
