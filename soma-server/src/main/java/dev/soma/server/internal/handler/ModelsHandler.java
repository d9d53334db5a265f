package dev.soma.server.internal.handler;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.soma.core.runstore.NodeRecord;
import dev.soma.models.api.NodeDocs;
import dev.soma.models.api.NodeInfo;
import dev.soma.server.internal.http.Handler;
import dev.soma.server.internal.http.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /models} (every model, seed and source with its parents and last status: what the lineage
 * page draws) and {@code GET /models/{name}} (docs, columns, tests with their last results, parents,
 * children).
 */
public final class ModelsHandler {

    private final ServerContext context;

    public ModelsHandler(ServerContext context) {
        this.context = context;
    }

    public Handler list() {
        return request -> {
            Map<String, NodeRecord> latest = context.runs(store -> store.latestNodeResults());
            List<ModelSummary> models = new ArrayList<>();
            for (NodeInfo node : context.nodes()) {
                NodeRecord last = latest.get(node.uniqueId());
                models.add(new ModelSummary(node.uniqueId(), node.name(), node.resourceType().label(), node.materialized(),
                        node.relation() == null ? null : node.relation().schema(),
                        node.relation() == null ? null : node.relation().toString(), node.path(), node.tags(),
                        node.dependsOn(), node.description(), last == null ? null : last.status()));
            }
            return Response.ok(new ModelList(context.soma().projectName(), models));
        };
    }

    public Handler one() {
        return request -> {
            NodeInfo node = context.node(request.segment(1));
            NodeDocs docs = context.soma().docs(node.name());
            Map<String, NodeRecord> latest = context.runs(store -> store.latestNodeResults());
            List<DataHandler.Column> built = node.relation() == null ? List.of()
                    : context.sessions().read(session -> DataHandler.columns(session, node.relation()));
            Map<String, ColumnDetail> columns = new LinkedHashMap<>();
            for (NodeDocs.Column column : docs.columns()) {
                columns.put(column.name(), new ColumnDetail(column.name(), column.description(), column.dataType(), false));
            }
            for (DataHandler.Column column : built) {
                ColumnDetail declared = columns.get(column.name());
                columns.put(column.name(), new ColumnDetail(column.name(), declared == null ? null : declared.description(),
                        column.type(), true));
            }
            List<TestDetail> tests = docs.tests().stream().map(test -> {
                NodeRecord last = latest.get(test.uniqueId());
                return new TestDetail(test.name(), test.column(), test.testName(), test.severity(),
                        last == null ? null : last.status(), last == null ? null : last.failures(),
                        last == null ? null : last.message());
            }).toList();
            NodeRecord last = latest.get(node.uniqueId());
            return Response.ok(new ModelDetail(node.uniqueId(), node.name(), node.resourceType().label(),
                    node.materialized(), node.relation() == null ? null : node.relation().toString(), node.path(),
                    node.tags(), node.description(), List.copyOf(columns.values()), tests, docs.parents(),
                    docs.children(), last));
        };
    }

    /** One node in {@code /models}; {@code last_status} is always there, {@code null} when never run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelSummary(String uniqueId, String name, String resourceType, String materialized, String schema,
                               String relation, String path, List<String> tags, List<String> dependsOn,
                               String description,
                               @JsonInclude(JsonInclude.Include.ALWAYS) String lastStatus) {
    }

    /** {@code /models}. */
    public record ModelList(String project, List<ModelSummary> models) {
    }

    /**
     * A column: declared in YAML, built in the warehouse, or both.
     *
     * @param built whether the relation in the warehouse has it
     */
    public record ColumnDetail(String name, String description, String type, boolean built) {
    }

    /** A test with its last result ({@code null}s before its first run). */
    public record TestDetail(String name, String column, String testName, String severity, String lastStatus,
                             Long lastFailures, String lastMessage) {
    }

    /** {@code /models/{name}}. */
    public record ModelDetail(String uniqueId, String name, String resourceType, String materialized, String relation,
                              String path, List<String> tags, String description, List<ColumnDetail> columns,
                              List<TestDetail> tests, List<String> parents, List<String> children,
                              NodeRecord lastResult) {
    }
}
