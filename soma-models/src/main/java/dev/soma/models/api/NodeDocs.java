package dev.soma.models.api;

import java.util.List;

/**
 * What a project says about one node, for documentation pages (the HTTP server's {@code /models/{name}}
 * and lineage page): its description, declared columns, the data tests attached to it, and its
 * neighbours in the graph. Made from the project alone; nothing is read from the warehouse.
 *
 * @param info     the node itself
 * @param columns  its columns as declared in YAML, in declaration order (empty when none are declared)
 * @param tests    the data tests on it or on one of its columns
 * @param parents  unique ids of the nodes it reads (same as {@code info.dependsOn()}, tests excluded)
 * @param children unique ids of the models, seeds and sources that read it (tests excluded)
 */
public record NodeDocs(NodeInfo info, List<Column> columns, List<Test> tests, List<String> parents,
                       List<String> children) {

    public NodeDocs {
        columns = List.copyOf(columns);
        tests = List.copyOf(tests);
        parents = List.copyOf(parents);
        children = List.copyOf(children);
    }

    /**
     * A declared column.
     *
     * @param dataType the declared {@code data_type}, or {@code null}
     */
    public record Column(String name, String description, String dataType) {
    }

    /**
     * A data test on the node.
     *
     * @param column   the column it tests, or {@code null} for a model-level test
     * @param testName {@code unique}, {@code not_null}, … or the singular test's name
     * @param severity {@code error} or {@code warn}
     */
    public record Test(String uniqueId, String name, String column, String testName, String severity) {
    }
}
