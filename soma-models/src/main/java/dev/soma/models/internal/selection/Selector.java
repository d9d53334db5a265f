package dev.soma.models.internal.selection;

import dev.soma.models.api.ResourceType;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.project.Materialization;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.Node;
import dev.soma.models.internal.project.NodeConfig;
import dev.soma.models.internal.project.TestNode;
import dev.soma.models.error.SelectorException;
import dev.soma.models.internal.project.UnitTestNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * Resolves selection expressions against a graph. Stateless apart from the graph; thread-safe.
 */
public final class Selector {

    private final ModelGraph graph;
    private final StateSelector state;

    public Selector(ModelGraph graph) {
        this(graph, null);
    }

    /** @param state answers {@code state:} selectors; {@code null}: none was given ({@code --state}), and they are an error */
    public Selector(ModelGraph graph, StateSelector state) {
        this.graph = graph;
        this.state = state;
    }

    /** The unique ids {@code selection} selects (everything when it selects nothing in particular), minus its excludes. */
    public Set<String> select(Selection selection) {
        return select(SelectionExpression.parse(selection.select()), SelectionExpression.parse(selection.exclude()));
    }

    /** What the {@code --exclude} part of {@code selection} matches on its own. */
    public Set<String> excluded(Selection selection) {
        return matching(SelectionExpression.parse(selection.exclude()));
    }

    /** Selector terms of {@code selection} (select and exclude) that match no node, for a warning. */
    public List<String> unmatched(Selection selection) {
        List<String> unmatched = new ArrayList<>(unmatched(SelectionExpression.parse(selection.select())));
        unmatched.addAll(unmatched(SelectionExpression.parse(selection.exclude())));
        return unmatched;
    }

    /**
     * The unique ids selected by {@code select} (everything when it is empty) minus those selected by
     * {@code exclude}.
     */
    public Set<String> select(SelectionExpression select, SelectionExpression exclude) {
        Set<String> selected = select.isEmpty() ? new LinkedHashSet<>(graph.order()) : evaluate(select);
        if (!exclude.isEmpty()) {
            selected.removeAll(evaluate(exclude));
        }
        return selected;
    }

    /** What {@code expression} selects on its own (nothing when it is empty). */
    public Set<String> matching(SelectionExpression expression) {
        return expression.isEmpty() ? new LinkedHashSet<>() : evaluate(expression);
    }

    /** Every atom that matched no node at all, for a warning. */
    public List<String> unmatched(SelectionExpression expression) {
        List<String> unmatched = new ArrayList<>();
        for (List<SelectorAtom> intersection : expression.union()) {
            for (SelectorAtom atom : intersection) {
                if (match(atom).isEmpty()) {
                    unmatched.add(atom.method().equals("name") ? atom.value() : atom.method() + ":" + atom.value());
                }
            }
        }
        return unmatched;
    }

    private Set<String> evaluate(SelectionExpression expression) {
        Set<String> union = new LinkedHashSet<>();
        for (List<SelectorAtom> intersection : expression.union()) {
            Set<String> result = null;
            for (SelectorAtom atom : intersection) {
                Set<String> atomResult = expand(atom, match(atom));
                if (result == null) {
                    result = atomResult;
                } else {
                    result.retainAll(atomResult);
                }
            }
            if (result != null) {
                union.addAll(result);
            }
        }
        return union;
    }

    private Set<String> expand(SelectorAtom atom, Set<String> matched) {
        Set<String> result = new LinkedHashSet<>(matched);
        if (atom.atOperator()) {
            Set<String> down = new LinkedHashSet<>(matched);
            for (String id : matched) {
                down.addAll(graph.descendants(id, -1));
            }
            result.addAll(down);
            for (String id : down) {
                result.addAll(graph.ancestors(id, -1));
            }
            return result;
        }
        for (String id : matched) {
            if (atom.parents() != 0) {
                result.addAll(graph.ancestors(id, atom.parents()));
            }
            if (atom.children() != 0) {
                result.addAll(graph.descendants(id, atom.children()));
            }
        }
        return result;
    }

    private Set<String> match(SelectorAtom atom) {
        if (atom.method().equals("state")) {
            if (state == null) {
                throw new SelectorException("state:" + atom.value(), "state:" + atom.value(), "state: selectors compare with an "
                        + "earlier run; give its artifacts with --state DIR (the target/ folder holding its manifest.json)");
            }
            Set<String> chosen = state.select(atom.value());
            Set<String> inOrder = new LinkedHashSet<>();
            for (String id : graph.order()) {
                if (chosen.contains(id)) {
                    inOrder.add(id);
                }
            }
            return inOrder;
        }
        Set<String> matched = new LinkedHashSet<>();
        Pattern glob = isGlob(atom.value()) ? globPattern(atom.value()) : null;
        for (String id : graph.order()) {
            if (matches(atom, graph.node(id), glob)) {
                matched.add(id);
            }
        }
        return matched;
    }

    private static boolean isGlob(String value) {
        return value.contains("*") || value.contains("?");
    }

    private static boolean matches(SelectorAtom atom, Node node, Pattern glob) {
        String value = atom.value();
        return switch (atom.method()) {
            case "name" -> matchesName(node, value, glob);
            case "fqn" -> node.resourceType() != ResourceType.SOURCE && (matchesFqn(node.fqn(), value)
                    || (projectOf(node) != null && value.startsWith(projectOf(node) + ".")
                    && matchesFqn(node.fqn(), value.substring(projectOf(node).length() + 1))));
            case "tag" -> node.tags().stream().anyMatch(tag -> text(tag, value, glob));
            case "path" -> matchesPath(node.path(), value, glob);
            case "source" -> node.resourceType() == ResourceType.SOURCE
                    && (text(node.name(), value, glob) || text(node.fqn().get(0), value, glob));
            case "resource_type" -> node.resourceType().label().equals(value.toLowerCase(Locale.ROOT));
            case "test_type" -> switch (value) {
                case "unit" -> node instanceof UnitTestNode;
                case "data" -> node instanceof TestNode;
                default -> node instanceof TestNode test && test.kind().manifestLabel().equals(value);
            };
            case "unique_id" -> node.uniqueId().equals(value);
            case "test_name" -> node instanceof TestNode test && text(test.testName(), value, glob);
            default -> matchesConfig(node, atom.method().substring("config.".length()), value, glob);
        };
    }

    private static boolean matchesName(Node node, String value, Pattern glob) {
        if (text(node.name(), value, glob)) {
            return true;
        }
        // dbt's fully qualified names start with the project: my_project.users, my_project.staging
        String project = projectOf(node);
        if (project != null && value.startsWith(project + ".") && value.length() > project.length() + 1) {
            String rest = value.substring(project.length() + 1);
            if (text(node.name(), rest, glob)) {
                return node.resourceType() != ResourceType.SOURCE;
            }
            return node.resourceType() != ResourceType.SOURCE && matchesFqn(node.fqn(), rest);
        }
        return node.resourceType() != ResourceType.SOURCE && matchesFqn(node.fqn(), value);
    }

    /** The project name inside a unique id ({@code model.<project>.<name>}), or {@code null}. */
    private static String projectOf(Node node) {
        String[] parts = node.uniqueId().split("\\.", 3);
        return parts.length == 3 ? parts[1] : null;
    }

    /** {@code staging} selects everything under staging/; {@code staging.stg_books} one model. */
    private static boolean matchesFqn(List<String> fqn, String value) {
        String[] parts = value.split("\\.");
        if (parts.length > fqn.size()) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].equals(fqn.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesPath(String path, String value, Pattern glob) {
        String wanted = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (wanted.startsWith("./")) {
            wanted = wanted.substring(2);
        }
        if (glob != null) {
            return glob.matcher(path).matches();
        }
        return path.equals(wanted) || path.startsWith(wanted + "/")
                || (path.endsWith(".sql") && path.substring(0, path.length() - 4).equals(wanted));
    }

    private static boolean matchesConfig(Node node, String key, String value, Pattern glob) {
        Object configured = configValue(node, key);
        if (configured instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> text(String.valueOf(v), value, glob));
        }
        return configured != null && text(String.valueOf(configured), value, glob);
    }

    private static Object configValue(Node node, String key) {
        NodeConfig config = node.config();
        return switch (key) {
            case "materialized" -> node instanceof ModelNode model ? model.materialized().label() : config.materialized();
            case "schema" -> node.relation() != null ? node.relation().schema() : config.schema();
            case "alias" -> config.alias();
            case "tags" -> node.tags();
            case "unique_key" -> config.uniqueKey();
            case "incremental_strategy" -> node instanceof ModelNode model && model.materialized() == Materialization.INCREMENTAL
                    ? model.incrementalStrategy().label() : null;
            case "enabled" -> config.isEnabled();
            case "severity" -> config.severity();
            case "store_failures" -> config.storeFailures();
            case "full_refresh" -> config.fullRefresh();
            default -> key.startsWith("meta.") && config.meta() != null ? config.meta().get(key.substring(5)) : null;
        };
    }

    private static boolean text(String actual, String wanted, Pattern glob) {
        if (actual == null) {
            return false;
        }
        return glob != null ? glob.matcher(actual).matches() : actual.equals(wanted);
    }

    /** A shell-style glob ({@code stg_*}, {@code fact_?}) as a regular expression. */
    static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }
}
