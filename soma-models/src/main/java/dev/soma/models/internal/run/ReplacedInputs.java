package dev.soma.models.internal.run;

import dev.soma.core.runstore.TableReplacements;
import dev.soma.core.warehouse.Session;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.SourceNode;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Incremental models whose raw inputs were replaced wholesale since their last build ({@code soma
 * generate --replace}): merging the new rows into what they hold would mix two datasets, so they
 * rebuild in full, and after a successful build the generation they saw is recorded
 * ({@link TableReplacements}). Reads nothing more than two small {@code soma_meta} tables, and only
 * when a replacement was ever recorded.
 *
 * @param stale      incremental model id → the replaced input, e.g. {@code raw.sales}
 * @param generation incremental model id → the newest replacement generation among its inputs
 * @param relations  incremental model id → its relation, {@code schema.table} in lower case
 */
record ReplacedInputs(Map<String, String> stale, Map<String, Long> generation, Map<String, String> relations) {

    static ReplacedInputs read(Session session, ModelGraph graph, Collection<String> planned) {
        Map<String, Long> latest = TableReplacements.latest(session);
        if (latest.isEmpty()) {
            return new ReplacedInputs(Map.of(), Map.of(), Map.of());
        }
        Map<String, Long> built = TableReplacements.builtAgainst(session);
        Map<String, String> stale = new HashMap<>();
        Map<String, Long> generation = new HashMap<>();
        Map<String, String> relations = new HashMap<>();
        for (String id : planned) {
            if (!(graph.node(id) instanceof ModelNode model) || model.materialized() != Materialization.INCREMENTAL) {
                continue;
            }
            long newest = 0;
            String newestInput = null;
            for (String ancestor : graph.ancestors(id, -1)) {
                Node node = graph.node(ancestor);
                if (node instanceof SourceNode && node.relation() != null) {
                    String key = TableReplacements.key(node.relation().schema(), node.relation().identifier());
                    long replaced = latest.getOrDefault(key, 0L);
                    if (replaced > newest) {
                        newest = replaced;
                        newestInput = key;
                    }
                }
            }
            if (newest == 0) {
                continue;
            }
            String relation = TableReplacements.key(model.relation().schema(), model.relation().identifier());
            generation.put(id, newest);
            relations.put(id, relation);
            if (newest > built.getOrDefault(relation, 0L)) {
                stale.put(id, newestInput);
            }
        }
        return new ReplacedInputs(Map.copyOf(stale), Map.copyOf(generation), Map.copyOf(relations));
    }

    /** Records the generation each successfully built incremental model saw. */
    void recordBuilt(Session session, List<NodeResult> results) {
        for (NodeResult result : results) {
            Long seen = generation.get(result.uniqueId());
            if (seen != null && result.status() == NodeStatus.SUCCESS) {
                String[] relation = relations.get(result.uniqueId()).split("\\.", 2);
                TableReplacements.recordBuilt(session, relation[0], relation[1], seen);
            }
        }
    }
}
