package dev.soma.models.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.soma.models.api.ModelChange;
import dev.soma.models.error.SelectorException;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.selection.StateSelector;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The project as it is now against an earlier run's manifest ({@code --state}): dbt's {@code state:} selector
 * method, with the same checks ({@code StateSelectorMethod} in dbt-core), plus Soma's
 * {@code state:modified.breaking} and {@code state:modified.non_breaking}. Both sides are read from manifest
 * JSON written by one writer, so an unchanged node compares equal. Thread-safe; the current manifest is built
 * on first use.
 */
public final class StateComparison implements StateSelector {

    /** The values {@code state:} accepts. */
    public static final List<String> VALUES = List.of("new", "old", "modified", "unmodified", "modified.body",
            "modified.configs", "modified.contract", "modified.macros", "modified.relation", "modified.breaking",
            "modified.non_breaking");

    private final StateManifest previous;
    private final Supplier<JsonNode> currentManifest;
    private final ModelGraph graph;
    private final ChangeClassifier classifier;
    private JsonNode current;
    private Map<String, ModelChange> changes;

    /**
     * @param currentManifest the manifest as it would be written now
     * @param classifier      tells breaking from non-breaking changes
     */
    public StateComparison(StateManifest previous, Supplier<JsonNode> currentManifest, ModelGraph graph,
                           ChangeClassifier classifier) {
        this.previous = previous;
        this.currentManifest = currentManifest;
        this.graph = graph;
        this.classifier = classifier;
    }

    /** The earlier run's manifest. */
    public StateManifest previous() {
        return previous;
    }

    @Override
    public Set<String> select(String value) {
        Predicate<String> check = switch (value) {
            case "new" -> id -> old(id) == null;
            case "old" -> id -> old(id) != null;
            case "modified" -> this::modified;
            case "unmodified" -> id -> old(id) != null && !modified(id);
            case "modified.body" -> id -> old(id) == null || !body(now(id)).equals(body(old(id)));
            case "modified.configs" -> id -> old(id) == null || !same(now(id).path("config"), old(id).path("config"));
            case "modified.contract" -> id -> graph.node(id) instanceof ModelNode
                    && (old(id) == null || contractModified(now(id).path("contract"), old(id).path("contract")));
            case "modified.macros" -> this::macrosModified;
            case "modified.relation" -> id -> old(id) == null || !sameRelationConfig(now(id), old(id));
            case "modified.breaking" -> id -> modified(id) && kind(id) != ModelChange.Kind.NON_BREAKING;
            case "modified.non_breaking" -> id -> modified(id) && kind(id) == ModelChange.Kind.NON_BREAKING;
            default -> throw new SelectorException("state:" + value, "state:" + value, "there is no state check '" + value
                    + "'; use one of " + String.join(", ", VALUES));
        };
        Set<String> selected = new LinkedHashSet<>();
        for (String id : graph.order()) {
            if (check.test(id)) {
                selected.add(id);
            }
        }
        return selected;
    }

    /**
     * How each modified or new model among {@code ids} changed, in graph order. Other nodes (seeds, tests,
     * sources) have no columns to compare: they are not listed.
     */
    public synchronized List<ModelChange> changes(Set<String> ids) {
        return graph.order().stream().filter(ids::contains).filter(id -> graph.node(id) instanceof ModelNode)
                .filter(this::modified).map(this::change).toList();
    }

    /** dbt's {@code same_contract}: unenforced on both sides is no change; enforced and the same checksum neither. */
    static boolean contractModified(JsonNode now, JsonNode before) {
        boolean wasEnforced = before.path("enforced").asBoolean(false);
        boolean isEnforced = now.path("enforced").asBoolean(false);
        if (!wasEnforced && !isEnforced) {
            return false;
        }
        return !(isEnforced && wasEnforced && now.path("checksum").asText().equals(before.path("checksum").asText()));
    }

    private synchronized ModelChange change(String id) {
        if (changes == null) {
            changes = new LinkedHashMap<>();
        }
        return changes.computeIfAbsent(id, key -> {
            try {
                return classifier.classify((ModelNode) graph.node(key), now(key), old(key), macrosModified(key));
            } finally {
                classifier.close();
            }
        });
    }

    private ModelChange.Kind kind(String id) {
        Node node = graph.node(id);
        return node instanceof ModelNode ? change(id).kind() : ModelChange.Kind.BREAKING;
    }

    private boolean modified(String id) {
        JsonNode before = old(id);
        if (before == null) {
            return true;
        }
        JsonNode now = now(id);
        return !body(now).equals(body(before)) || !same(now.path("config"), before.path("config"))
                || !same(now.path("fqn"), before.path("fqn"))
                || (graph.node(id) instanceof ModelNode && contractModified(now.path("contract"), before.path("contract")))
                || macrosModified(id);
    }

    /**
     * dbt's {@code modified.macros}: a macro the node calls (directly or through others) is new, gone or has
     * other text than in the earlier manifest.
     */
    private boolean macrosModified(String id) {
        JsonNode before = old(id);
        JsonNode now = now(id);
        Set<String> macros = new LinkedHashSet<>();
        now.path("depends_on").path("macros").forEach(m -> macros.add(m.asText()));
        if (before != null) {
            before.path("depends_on").path("macros").forEach(m -> macros.add(m.asText()));
        }
        JsonNode currentMacros = current().path("macros");
        JsonNode previousMacros = previous.tree().path("macros");
        for (String macro : macros) {
            if (!currentMacros.path(macro).path("macro_sql").equals(previousMacros.path(macro).path("macro_sql"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What dbt's {@code same_body} compares: the raw template of a model or singular test; the file's checksum
     * of a seed; the test's name and arguments of a generic test; the definition of a source (less where it is).
     */
    private static String body(JsonNode node) {
        if (node.path("resource_type").asText().equals("seed")) {
            return node.path("checksum").path("checksum").asText();
        }
        if (node.has("raw_code")) {
            return node.path("raw_code").asText();
        }
        if (node.has("test_metadata")) {
            return NodeState.canonical(node.path("test_metadata"));
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        copy.remove(List.of("database", "relation_name", "config", "fqn", "depends_on"));
        return NodeState.canonical(copy);
    }

    /** dbt's {@code same_database_representation}: the configured schema and alias (not where the target put them). */
    private static boolean sameRelationConfig(JsonNode now, JsonNode before) {
        return same(now.path("config").path("schema"), before.path("config").path("schema"))
                && same(now.path("config").path("alias"), before.path("config").path("alias"));
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return NodeState.canonical(a).equals(NodeState.canonical(b));
    }

    private JsonNode old(String id) {
        return previous.node(id);
    }

    private JsonNode now(String id) {
        JsonNode node = StateManifest.entry(current(), id);
        return node != null ? node : MissingNode.getInstance();
    }

    private synchronized JsonNode current() {
        if (current == null) {
            current = currentManifest.get();
        }
        return current;
    }
}
