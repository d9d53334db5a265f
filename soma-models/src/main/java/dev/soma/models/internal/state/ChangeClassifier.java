package dev.soma.models.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Identifiers;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.ModelChange;
import dev.soma.models.api.ModelChange.Kind;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.template.TemplateOwner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a modified model's change is breaking for what is built from it (SQLMesh's categories, beyond dbt).
 *
 * <p>Both versions of the model are rendered with the project as it is now (the earlier one from the
 * {@code raw_code} the state's manifest keeps), parsed by DuckDB's own parser ({@code json_serialize_sql}), and
 * their top-level queries compared: if everything but the select list is the same, and every earlier column is
 * still there with the same expression, only columns were added: <em>non-breaking</em>. A column removed or
 * changed (its type may have changed with it), a changed filter, join, grouping, CTE, ordering or limit, a
 * changed config (other than tags, meta, docs), a changed macro, or a query either side cannot parse is
 * <em>breaking</em>. Conservative by design: when in doubt, rebuild.
 */
public final class ChangeClassifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Config keys that say nothing about the rows a model holds. */
    private static final Set<String> HARMLESS_CONFIG = Set.of("tags", "meta", "docs", "description", "persist_docs", "grants");
    /** The parts of a SELECT besides its select list, and what a user calls them. */
    private static final Map<String, String> CLAUSES = new LinkedHashMap<>();

    static {
        CLAUSES.put("from_table", "a join or FROM changed");
        CLAUSES.put("where_clause", "a filter (WHERE) changed");
        CLAUSES.put("group_expressions", "the grouping changed");
        CLAUSES.put("group_sets", "the grouping changed");
        CLAUSES.put("aggregate_handling", "the grouping changed");
        CLAUSES.put("having", "a filter (HAVING) changed");
        CLAUSES.put("qualify", "a filter (QUALIFY) changed");
        CLAUSES.put("sample", "the sample changed");
        CLAUSES.put("cte_map", "a CTE changed");
        CLAUSES.put("modifiers", "the ordering, DISTINCT or LIMIT changed");
    }

    private final Compiler compiler;
    private Warehouse parser;

    public ChangeClassifier(Compiler compiler) {
        this.compiler = compiler;
    }

    /**
     * How {@code model} changed.
     *
     * @param current  its entry in the manifest as it would be written now
     * @param previous      its entry in the state's manifest, or {@code null} when it is new
     * @param macrosChanged whether a macro it calls changed (rendering both with today's macros cannot see it)
     */
    public synchronized ModelChange classify(ModelNode model, JsonNode current, JsonNode previous, boolean macrosChanged) {
        if (previous == null) {
            return new ModelChange(model.uniqueId(), model.name(), Kind.NEW, List.of("not in the state's manifest"));
        }
        List<String> breaking = new ArrayList<>();
        List<String> harmless = new ArrayList<>();
        for (String key : changedKeys(current.path("config"), previous.path("config"))) {
            (HARMLESS_CONFIG.contains(key) ? harmless : breaking).add("config " + key + " changed");
        }
        if (macrosChanged) {
            breaking.add("a macro it calls changed");
        }
        if (contractChanged(current, previous)) {
            breaking.add("its contract changed");
        }
        String before = previous.path("raw_code").asText("");
        String after = current.path("raw_code").asText("");
        if (!before.equals(after)) {
            compareQueries(model, before, after, breaking, harmless);
        }
        if (!breaking.isEmpty()) {
            return new ModelChange(model.uniqueId(), model.name(), Kind.BREAKING, breaking);
        }
        if (harmless.isEmpty()) {
            harmless.add("no change to its query");
        }
        return new ModelChange(model.uniqueId(), model.name(), Kind.NON_BREAKING, harmless);
    }

    private static boolean contractChanged(JsonNode current, JsonNode previous) {
        return StateComparison.contractModified(current.path("contract"), previous.path("contract"));
    }

    private void compareQueries(ModelNode model, String before, String after, List<String> breaking, List<String> harmless) {
        JsonNode old = parse(model, before);
        JsonNode now = parse(model, after);
        if (old == null || now == null) {
            breaking.add("the query changed and Soma cannot parse " + (old == null ? "the earlier" : "the new") + " one");
            return;
        }
        if (!"SELECT_NODE".equals(old.path("type").asText()) || !"SELECT_NODE".equals(now.path("type").asText())) {
            if (!NodeState.canonical(old).equals(NodeState.canonical(now))) {
                breaking.add("the query changed (not a plain SELECT, so every change counts)");
            }
            return;
        }
        Set<String> clauses = new TreeSet<>();
        for (Map.Entry<String, String> clause : CLAUSES.entrySet()) {
            if (!NodeState.canonical(old.path(clause.getKey())).equals(NodeState.canonical(now.path(clause.getKey())))) {
                clauses.add(clause.getValue());
            }
        }
        breaking.addAll(clauses);
        Map<String, String> oldColumns = columns(old.path("select_list"));
        Map<String, String> newColumns = columns(now.path("select_list"));
        oldColumns.forEach((name, expression) -> {
            if (!newColumns.containsKey(name)) {
                breaking.add("column " + name + " removed");
            } else if (!newColumns.get(name).equals(expression)) {
                breaking.add("column " + name + " changed");
            }
        });
        newColumns.keySet().stream().filter(name -> !oldColumns.containsKey(name))
                .forEach(name -> harmless.add("column " + name + " added"));
    }

    /** The output columns of a select list, by name, each with its expression's canonical text. */
    private static Map<String, String> columns(JsonNode selectList) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (JsonNode expression : selectList) {
            String alias = expression.path("alias").asText("");
            String name;
            if (!alias.isEmpty()) {
                name = alias;
            } else if ("COLUMN_REF".equals(expression.path("class").asText())) {
                JsonNode parts = expression.path("column_names");
                name = parts.get(parts.size() - 1).asText();
            } else {
                name = NodeState.canonical(expression);
            }
            ObjectNode withoutAlias = expression.deepCopy();
            withoutAlias.remove("alias");
            columns.put(name, NodeState.canonical(withoutAlias));
        }
        return columns;
    }

    /** The first statement of {@code template} rendered for {@code model}, parsed, positions removed; {@code null} if it does not parse. */
    private JsonNode parse(ModelNode model, String template) {
        String sql;
        try {
            sql = compiler.renderText(model.path(), template, TemplateOwner.model(model.name()), model);
        } catch (SomaException e) {
            return null;
        }
        String serialized = parser().query(new SqlOwner("state", model.name()),
                "select json_serialize_sql(" + Identifiers.literal(sql) + ")", rows -> rows.next() ? rows.getString(1) : null);
        try {
            JsonNode tree = JSON.readTree(serialized);
            if (tree.path("error").asBoolean(true) || tree.path("statements").size() != 1) {
                return null;
            }
            JsonNode node = tree.path("statements").get(0).path("node");
            stripPositions(node);
            return node;
        } catch (IOException e) {
            return null;
        }
    }

    private static void stripPositions(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("query_location");
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                stripPositions(it.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ChangeClassifier::stripPositions);
        }
    }

    private Warehouse parser() {
        if (parser == null) {
            parser = Warehouse.inMemory();
        }
        return parser;
    }

    /** Closes the in-memory database that parsed queries, if one was opened. */
    public synchronized void close() {
        if (parser != null) {
            parser.close();
            parser = null;
        }
    }

    private static Set<String> changedKeys(JsonNode current, JsonNode previous) {
        Set<String> keys = new TreeSet<>();
        current.fieldNames().forEachRemaining(keys::add);
        previous.fieldNames().forEachRemaining(keys::add);
        keys.removeIf(key -> NodeState.canonical(current.path(key)).equals(NodeState.canonical(previous.path(key))));
        return keys;
    }
}
