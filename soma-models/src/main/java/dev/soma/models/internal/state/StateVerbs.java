package dev.soma.models.internal.state;

import dev.soma.models.api.ModelChange;
import dev.soma.models.api.Selection;
import dev.soma.models.internal.artifacts.ArtifactWriter;
import dev.soma.models.internal.compile.Compiler;
import dev.soma.models.internal.graph.ModelGraph;
import dev.soma.models.internal.project.Project;
import dev.soma.models.internal.selection.Selector;

import java.util.List;

/**
 * What a {@code Soma} given {@code --state} adds: the selector that knows the {@code state:} method, and how each
 * selected model changed ({@code soma ls --select state:modified}).
 */
public final class StateVerbs {

    private final StateComparison comparison;
    private final Selector selector;

    public StateVerbs(Project project, ModelGraph graph, Compiler compiler, ArtifactWriter artifacts, StateOptions options) {
        this.comparison = options.manifest() == null ? null : new StateComparison(options.manifest(),
                () -> artifacts.manifestTree(project, graph), graph, new ChangeClassifier(compiler));
        this.selector = new Selector(graph, comparison);
    }

    /** The selector every verb selects with. */
    public Selector selector() {
        return selector;
    }

    /** How each selected model differs from the state; empty without {@code --state}. */
    public List<ModelChange> changes(Selection selection) {
        return comparison == null ? List.of() : comparison.changes(selector.select(selection));
    }
}
